/**
 * Trains the built-in model's reranker: one weight per feature of retrieve/features.ts, fitted with a
 * listwise softmax loss on doc comment → function cases mined (as `sourceline eval` mines them) from
 * packages the embedding model never saw — so the vector side is as good as on a user's code, not
 * flattered by memory. Neither the dev corpus (bench:quality) nor reserved projects are used.
 * Deterministic: zero start, full-batch Adam, fixed steps. Writes the weights into the model's meta.json.
 * Usage: node dist/tools/trainReranker.js [--write]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createEmbedder, modelsDir, BUILTIN_MODEL } from '../../src/engine/embed/createEmbedder';
import { runEval } from '../../src/engine/eval/runEval';
import { FEATURE_NAMES, learnedScore, type CandidateFeatures } from '../../src/engine/retrieve/features';
import { DEFAULT_WALK_OPTIONS } from '../../src/engine/walk/walk';
import { Workspace } from '../../src/engine/workspace';
import { ensureNpmCorpus, packageFolder, type PinnedPackage } from '../npmCorpus';
import { HELD_OUT, TRAIN_PACKAGES } from '../embedder/packages';
import { isReserved, reservedNames } from '../../bench/reserved';
import { QUALITY_PACKAGES } from '../../bench/qualityCorpus';
import { rmSync, mkdirSync } from 'node:fs';

const ROOT = path.resolve(__dirname, '..', '..');
const WORK = path.join(ROOT, '.cache', 'reranker');
/**
 * Real code the embedding model has not seen: its held-out packages and more documented libraries
 * outside its training set, the dev corpus and the reserved projects (checked below).
 */
const PACKAGES: readonly PinnedPackage[] = [
  ...TRAIN_PACKAGES.filter((p) => HELD_OUT.has(p.name)),
  { name: 'underscore', version: '1.13.7', folders: ['modules'] },
  { name: 'moment', version: '2.30.1', folders: ['src/lib'] },
  { name: 'validator', version: '13.12.0', folders: ['es/lib'] },
  { name: 'jquery', version: '3.7.1', folders: ['src'] },
  { name: 'semver', version: '7.6.3', folders: ['classes', 'functions', 'ranges', 'internal'] },
  { name: 'd3-array', version: '3.2.4', folders: ['src'] },
];
const STEPS = 400;
const LEARNING_RATE = 0.05;
const L2 = 1e-3;

interface Query {
  readonly pkg: string;
  readonly x: readonly (readonly number[])[];
  readonly files: readonly string[];
  readonly target: string;
}

function log(message: string): void {
  process.stderr.write(`[reranker] ${message}\n`);
}

/** Reciprocal rank of the target file when candidates are ordered by `score`. */
function fileRR(q: Query, score: (x: readonly number[]) => number): number {
  const order = q.x.map((x, i) => ({ s: score(x), f: q.files[i] ?? '' })).sort((a, b) => b.s - a.s);
  const seen: string[] = [];
  for (const o of order) if (!seen.includes(o.f)) seen.push(o.f);
  const at = seen.indexOf(q.target);
  return at < 0 ? 0 : 1 / (at + 1);
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/** The shipped fusion (weighted RRF) on the same candidates, from the rank features. */
function rrf(x: readonly number[]): number {
  const rank = (f: number | undefined): number | null => (f === undefined || f === 0 ? null : 5 / f - 5);
  const lr = rank(x[0]);
  const vr = rank(x[1]);
  return (lr === null ? 0 : 1 / (10 + lr + 1)) + (vr === null ? 0 : 1.25 / (10 + vr + 1));
}

function train(queries: readonly Query[]): number[] {
  const d = FEATURE_NAMES.length;
  const w = new Array<number>(d).fill(0);
  const m = new Array<number>(d).fill(0);
  const v = new Array<number>(d).fill(0);
  for (let step = 1; step <= STEPS; step++) {
    const grad = w.map((wi) => 2 * L2 * wi);
    for (const q of queries) {
      const s = q.x.map((x) => learnedScore(x, w));
      const max = Math.max(...s);
      const e = s.map((si) => Math.exp(si - max));
      const rel = q.files.map((f) => f === q.target);
      const z = e.reduce((a, b) => a + b, 0);
      const zr = e.reduce((a, b, i) => a + (rel[i] === true ? b : 0), 0);
      q.x.forEach((x, i) => {
        const g = (e[i] ?? 0) / z - (rel[i] === true ? (e[i] ?? 0) / zr : 0);
        for (let j = 0; j < d; j++) grad[j] = (grad[j] ?? 0) + (g * (x[j] ?? 0)) / queries.length;
      });
    }
    for (let j = 0; j < d; j++) {
      const g = grad[j] ?? 0;
      m[j] = 0.9 * (m[j] ?? 0) + 0.1 * g;
      v[j] = 0.999 * (v[j] ?? 0) + 0.001 * g * g;
      const mh = (m[j] ?? 0) / (1 - 0.9 ** step);
      const vh = (v[j] ?? 0) / (1 - 0.999 ** step);
      w[j] = (w[j] ?? 0) - (LEARNING_RATE * mh) / (Math.sqrt(vh) + 1e-8);
    }
  }
  return w.map((x) => Math.round(x * 10_000) / 10_000);
}

async function collect(packages: readonly PinnedPackage[], corpus: string, casesPerFile: number): Promise<Query[]> {
  const src = ensureNpmCorpus(corpus, packages);
  const embedder = createEmbedder(undefined);
  const queries: Query[] = [];
  for (const p of packages) {
    const root = { name: packageFolder(p.name), path: path.join(src, packageFolder(p.name)) };
    const dbPath = path.join(WORK, 'db', `${root.name}.db`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
    mkdirSync(path.dirname(dbPath), { recursive: true });
    const ws = Workspace.open({ roots: [root], dbPath, walk: DEFAULT_WALK_OPTIONS, embedder });
    await ws.update();
    let n = 0;
    await runEval(ws, {
      maxCases: 400,
      casesPerFile,
      onDocCandidates: (c, candidates: readonly CandidateFeatures[]) => {
        if (!candidates.some((k) => k.relPath === c.relPath)) return;
        queries.push({ pkg: p.name, x: candidates.map((k) => k.features), files: candidates.map((k) => k.relPath), target: c.relPath });
        n++;
      },
    });
    ws.close();
    log(`${p.name}: ${n} cases with the target among the candidates`);
  }
  return queries;
}

function assertUnseen(): void {
  const trained = new Set(TRAIN_PACKAGES.filter((p) => !HELD_OUT.has(p.name)).map((p) => p.name));
  const forbidden = new Set([...reservedNames(), ...QUALITY_PACKAGES.map((p) => p.name.toLowerCase())]);
  const clash = PACKAGES.filter((p) => trained.has(p.name) || isReserved(p.name, forbidden));
  if (clash.length > 0) throw new Error(`reranker packages overlap the embedder's training, dev or reserved sets: ${clash.map((p) => p.name).join(', ')}`);
}

async function main(): Promise<void> {
  assertUnseen();
  const queries = await collect(PACKAGES, path.join(WORK, 'corpus'), 10);
  if (process.argv.includes('--dev')) {
    // The dev corpus as bench:quality mines it: fitted weights vs the plain fusion, before the shared rules.
    const dev = await collect(QUALITY_PACKAGES, path.join(WORK, 'dev-corpus'), 1);
    const w = train(queries);
    for (const pkg of QUALITY_PACKAGES.map((p) => p.name)) {
      const qs = dev.filter((q) => q.pkg === pkg);
      log(`dev ${pkg}: file MRR rrf ${mean(qs.map((q) => fileRR(q, rrf))).toFixed(3)} → learned ${mean(qs.map((q) => fileRR(q, (x) => learnedScore(x, w)))).toFixed(3)} (${qs.length} cases)`);
    }
  }
  // Leave one package out: how the weights do on code they were not fitted to.
  for (const p of PACKAGES) {
    const w = train(queries.filter((q) => q.pkg !== p.name));
    const test = queries.filter((q) => q.pkg === p.name);
    log(`held out ${p.name}: file MRR rrf ${mean(test.map((q) => fileRR(q, rrf))).toFixed(3)} → learned ${mean(test.map((q) => fileRR(q, (x) => learnedScore(x, w)))).toFixed(3)} (${test.length} cases)`);
  }
  const weights = train(queries);
  log(`all: file MRR rrf ${mean(queries.map((q) => fileRR(q, rrf))).toFixed(3)} → learned ${mean(queries.map((q) => fileRR(q, (x) => learnedScore(x, weights)))).toFixed(3)}`);
  log(FEATURE_NAMES.map((f, i) => `${f} ${weights[i] ?? 0}`).join(', '));
  if (process.argv.includes('--write')) {
    const metaPath = path.join(modelsDir(), BUILTIN_MODEL, 'meta.json');
    const meta: unknown = JSON.parse(readFileSync(metaPath, 'utf8'));
    if (typeof meta !== 'object' || meta === null || !('fusion' in meta) || typeof meta.fusion !== 'object' || meta.fusion === null) throw new Error(`${metaPath} has no fusion to extend`);
    const next = { ...meta, fusion: { ...meta.fusion, reranker: { features: [...FEATURE_NAMES], weights } }, rerankerTrainedOn: PACKAGES.map((p) => `${p.name}@${p.version}`) };
    writeFileSync(metaPath, `${JSON.stringify(next, null, 2)}\n`);
    log(`wrote the reranker into ${metaPath}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
