/**
 * Retrieval quality on the dev corpus (pinned npm packages, none trained on) with `sourceline eval`,
 * for lexical, vector and hybrid; plus the model's speed beside lexical-only indexing in the same run.
 * Writes bench/results/quality.json. Usage: node dist/bench/quality.js [--model builtin|hash|DIR]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILTIN_MODEL, createEmbedder, modelsDir } from '../src/engine/embed/createEmbedder';
import type { Embedder } from '../src/engine/embed/embedder';
import { NoModel } from './noModel';
import { freshIndex } from './freshIndex';
import { runEval, type EvalRow, type GridPoint } from '../src/engine/eval/runEval';
import type { FusionWeights } from '../src/engine/embed/embedder';
import { embedTextOf } from '../src/engine/store/indexStore';
import { readChunks } from '../src/engine/store/readChunks';
import { Workspace } from '../src/engine/workspace';
import { ensureNpmCorpus, packageFolder } from '../tools/npmCorpus';
import { QUALITY_PACKAGES, SELF_HISTORY_PIN } from './qualityCorpus';
import { round } from './stats';

const ROOT = path.resolve(__dirname, '..', '..');
const WORK = path.join(ROOT, '.cache', 'quality');

function log(message: string): void {
  process.stderr.write(`[quality] ${message}\n`);
}

function indexed(roots: ReadonlyArray<{ name: string; path: string }>, embedder: Embedder, name: string): Promise<{ ws: Workspace; seconds: number }> {
  return freshIndex(path.join(WORK, 'db', `${name}.db`), roots, embedder);
}

/** Micro-average of rows over case counts, per kind and retriever. */
function combine(parts: ReadonlyArray<{ rows: readonly EvalRow[]; cases: { doc2func: number; commit2files: number } }>): EvalRow[] {
  const out: EvalRow[] = [];
  for (const kind of ['doc2func', 'commit2files'] as const) {
    for (const retriever of ['lexical', 'vector', 'hybrid'] as const) {
      const weighted = parts.flatMap((p) => p.rows.filter((r) => r.kind === kind && r.retriever === retriever).map((r) => ({ r, n: p.cases[kind] })));
      const n = weighted.reduce((a, w) => a + w.n, 0);
      if (n === 0) continue;
      const avg = (f: (r: EvalRow) => number): number => round(weighted.reduce((a, w) => a + f(w.r) * w.n, 0) / n, 3);
      out.push({
        kind, retriever,
        'fileRecall@1': avg((r) => r['fileRecall@1']), 'fileRecall@5': avg((r) => r['fileRecall@5']), 'fileRecall@10': avg((r) => r['fileRecall@10']),
        fileMRR: avg((r) => r.fileMRR), lineMRR: kind === 'doc2func' ? avg((r) => r.lineMRR ?? 0) : null,
      });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const modelArg = process.argv.indexOf('--model');
  const spec = modelArg > 0 ? process.argv[modelArg + 1] : undefined;
  // --tune: also score a grid of fusion weights (hybrid file MRR), to pick the model's weights.
  const grid: FusionWeights[] = process.argv.includes('--tune')
    ? [
        ...[0, 0.75, 1, 1.25].flatMap((vector) => [10, 60].map((k) => ({ method: 'rrf' as const, lexical: 1, vector, k }))),
        ...[0, 0.25, 0.5, 0.75, 1, 1.5].map((vector) => ({ method: 'cc' as const, lexical: 1, vector, k: 0 })),
      ]
    : [];
  const gridPoints: GridPoint[] = [];
  const embedder = createEmbedder(spec);
  const src = ensureNpmCorpus(path.join(WORK, 'corpus'), QUALITY_PACKAGES);
  const parts: Array<{ name: string; rows: readonly EvalRow[]; cases: { doc2func: number; commit2files: number } }> = [];
  const speed: Record<string, number> = {};
  const modelSpeed: Record<string, { chunksPerSecond: number; averageLines: number; chunks: number }> = {};
  for (const p of QUALITY_PACKAGES) {
    const root = { name: packageFolder(p.name), path: path.join(src, packageFolder(p.name)) };
    const plain = await indexed([root], new NoModel(), `${root.name}-none`);
    plain.ws.close();
    const withModel = await indexed([root], embedder, `${root.name}-model`);
    speed[`${p.name}:indexSecondsNoModel`] = round(plain.seconds);
    speed[`${p.name}:indexSecondsModel`] = round(withModel.seconds);
    const report = await runEval(withModel.ws, { maxCases: 300, fusionGrid: grid });
    gridPoints.push(...report.grid.map((g) => ({ ...g, fileMRR: g.fileMRR * report.cases.doc2func })));
    log(`${p.name}: ${report.cases.doc2func} doc cases`);
    parts.push({ name: p.name, rows: report.rows.filter((r) => r.kind === 'doc2func'), cases: { doc2func: report.cases.doc2func, commit2files: 0 } });
    // Raw model throughput: on this package's chunks as indexed, and on ~40-line chunks.
    if (p.name === 'three') {
      const db = withModel.ws.indexStore.db;
      const throughput = async (sql: string): Promise<{ chunksPerSecond: number; averageLines: number; chunks: number }> => {
        const rows = readChunks(db, db.prepare(sql).pluck().all().map(Number));
        const texts = rows.map((c) => embedTextOf(c));
        const t0 = performance.now();
        for (let i = 0; i < texts.length; i += 256) await embedder.embed(texts.slice(i, i + 256), 'document');
        const seconds = (performance.now() - t0) / 1000;
        return { chunksPerSecond: round(texts.length / seconds), averageLines: round(rows.reduce((a, c) => a + c.endLine - c.startLine + 1, 0) / Math.max(1, rows.length), 1), chunks: rows.length };
      };
      modelSpeed['asIndexed'] = await throughput('SELECT id FROM chunks LIMIT 4096');
      modelSpeed['fortyLineChunks'] = await throughput('SELECT id FROM chunks WHERE end_line - start_line + 1 BETWEEN 35 AND 45 LIMIT 4096');
    }
    withModel.ws.close();
  }
  // commit → files needs history: this repository's own, as a second corpus — a clone at the pinned
  // commit (the dev numbers) and one at HEAD (drift only), so uncommitted work cannot move either.
  const selfAt = async (commit: string, name: string): Promise<{ rows: readonly EvalRow[]; grid: readonly GridPoint[]; cases: number }> => {
    const dir = path.join(WORK, name);
    rmSync(dir, { recursive: true, force: true });
    execFileSync('git', ['clone', '-q', '--no-checkout', ROOT, dir]);
    try {
      execFileSync('git', ['-C', dir, 'checkout', '-q', commit], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch {
      throw new Error(`commit ${commit} is not in this repository's history (a shallow clone?): run \`git fetch --unshallow\` and retry`);
    }
    const self = await indexed([{ name: 'sourceline', path: dir }], embedder, name);
    const report = await runEval(self.ws, { maxCases: 300, fusionGrid: grid });
    self.ws.close();
    return { rows: report.rows.filter((r) => r.kind === 'commit2files'), grid: report.grid.filter((g) => g.kind === 'commit2files'), cases: report.cases.commit2files };
  };
  const pinned = await selfAt(SELF_HISTORY_PIN, 'self-pinned');
  gridPoints.push(...pinned.grid.map((g) => ({ ...g, fileMRR: g.fileMRR * pinned.cases })));
  parts.push({ name: `sourceline@${SELF_HISTORY_PIN.slice(0, 7)} (this repository, pinned)`, rows: pinned.rows, cases: { doc2func: 0, commit2files: pinned.cases } });
  const head = await selfAt('HEAD', 'self-at-head');
  const rows = combine(parts);
  const caseCount = { doc2func: parts.reduce((a, p) => a + p.cases.doc2func, 0), commit2files: parts.reduce((a, p) => a + p.cases.commit2files, 0) };
  const byKind = (fusion: FusionWeights, kind: 'doc2func' | 'commit2files'): number =>
    gridPoints.filter((g) => g.kind === kind && g.fusion === fusion).reduce((a, g) => a + g.fileMRR, 0) / Math.max(1, caseCount[kind]);
  // Each setting is compared with lexical-only at the same k (vector weight 0): k also changes how
  // strongly the rerank boosts act, so a fair baseline shares it.
  const tuning = grid.filter((f) => f.vector > 0).map((fusion) => {
    const base = grid.find((g) => g.vector === 0 && g.k === fusion.k && g.method === fusion.method) ?? fusion;
    const gains = (['doc2func', 'commit2files'] as const).filter((k) => caseCount[k] > 0).map((k) => byKind(fusion, k) / Math.max(1e-9, byKind(base, k)) - 1);
    return {
      fusion,
      doc2func: round(byKind(fusion, 'doc2func'), 3),
      commit2files: round(byKind(fusion, 'commit2files'), 3),
      lexicalAtK: { doc2func: round(byKind(base, 'doc2func'), 3), commit2files: round(byKind(base, 'commit2files'), 3) },
      averageGain: round(gains.reduce((a, b) => a + b, 0) / Math.max(1, gains.length), 3),
    };
  }).sort((a, b) => b.averageGain - a.averageGain);
  const mrrOf = (from: readonly EvalRow[], retriever: string, kind = 'commit2files'): number => from.find((r) => r.kind === kind && r.retriever === retriever)?.fileMRR ?? 0;
  const mrr = (kind: string, retriever: string): number => mrrOf(rows, retriever, kind);
  const kinds = [...new Set(rows.map((r) => r.kind))];
  const gains = Object.fromEntries(kinds.map((k) => [k, round(mrr(k, 'hybrid') / Math.max(1e-9, mrr(k, 'lexical')) - 1, 3)]));
  const noModel = QUALITY_PACKAGES.reduce((a, p) => a + (speed[`${p.name}:indexSecondsNoModel`] ?? 0), 0);
  const withModel = QUALITY_PACKAGES.reduce((a, p) => a + (speed[`${p.name}:indexSecondsModel`] ?? 0), 0);
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    model: embedder.id,
    corpus: { doc2func: QUALITY_PACKAGES.map((p) => `${p.name}@${p.version}`), commit2files: `this repository at ${SELF_HISTORY_PIN}` },
    cases: { doc2func: parts.reduce((a, p) => a + p.cases.doc2func, 0), commit2files: parts.reduce((a, p) => a + p.cases.commit2files, 0) },
    rows,
    perPackage: parts,
    hybridOverLexicalFileMRR: { ...gains, average: round(kinds.reduce((a, k) => a + (gains[k] ?? 0), 0) / Math.max(1, kinds.length), 3), target: 0.15 },
    commit2filesAtHead: { cases: head.cases, rows: head.rows, hybridOverLexical: round(mrrOf(head.rows, 'hybrid') / Math.max(1e-9, mrrOf(head.rows, 'lexical')) - 1, 3) },
    tuning,
    modelSpeed,
    speed: { ...speed, indexSecondsNoModel: round(noModel), indexSecondsModel: round(withModel), ratio: round(withModel / Math.max(1e-9, noModel)), targetRatio: 2 },
  };
  // --write-fusion: store the best setting in the model's meta.json, where search picks it up.
  const best = tuning[0];
  if (process.argv.includes('--write-fusion') && best !== undefined) {
    const folder = spec === undefined || spec === 'builtin' ? path.join(modelsDir(), BUILTIN_MODEL) : path.resolve(spec);
    const metaFile = path.join(folder, 'meta.json');
    const meta: unknown = JSON.parse(readFileSync(metaFile, 'utf8'));
    writeFileSync(metaFile, `${JSON.stringify({ ...(typeof meta === 'object' && meta !== null ? meta : {}), fusion: best.fusion, fusionTunedOn: result.corpus }, null, 2)}\n`);
    log(`wrote fusion ${JSON.stringify(best.fusion)} to ${metaFile}`);
  }
  mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  const out = path.join(ROOT, 'bench', 'results', spec === undefined ? 'quality.json' : `quality-${path.basename(spec)}.json`);
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify({ model: result.model, cases: result.cases, rows, gains: result.hybridOverLexicalFileMRR, commit2filesAtHead: result.commit2filesAtHead, speed: result.speed, modelSpeed, bestFusion: tuning.slice(0, 3) }, null, 2)}\n`);
  await embedder.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`quality bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
