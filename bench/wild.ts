/**
 * The wild corpus (issue 10): every tree indexed under a watchdog, in its own process. Trees: the npm
 * packages in node_modules (pinned by package-lock.json), Debian source packages and large public
 * repositories assembled by `npm run bench:wild:corpus`, and one ~50,000-file tree of those together.
 * Reports per tree seconds, files/s, peak RSS, skip reasons, and every crash, hang or budget overrun.
 * Writes bench/results/wild.json. Repositories reserved for independent evaluation are never included.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { round } from './stats';
import { isReserved, reservedNames } from './reserved';

const ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = process.env['SOURCELINE_WILD'] ?? path.join(os.homedir(), '.cache', 'sourceline-wild');
const WORK = path.join(os.tmpdir(), 'sourceline-wild-db');
const CHILD = path.join(__dirname, 'wildOne.js');
/** Two trees at a time: this machine has two cores. The 50k-file tree runs alone. */
const PARALLEL = 2;

interface Tree {
  readonly name: string;
  readonly kind: 'npm' | 'debian' | 'large' | 'combined';
  readonly path: string;
  readonly files: number;
}

type Outcome = 'ok' | 'crash' | 'hang' | 'over-budget';

interface TreeResult extends Tree {
  readonly outcome: Outcome;
  readonly budgetSeconds: number;
  readonly wallSeconds: number;
  readonly filesPerSecond: number | null;
  readonly detail: Record<string, unknown> | null;
  readonly error: string | null;
}

function log(message: string): void {
  process.stderr.write(`[wild] ${message}\n`);
}

function countFiles(dir: string, limit = 200_000): number {
  let n = 0;
  const stack = [dir];
  while (stack.length > 0 && n < limit) {
    const d = stack.pop();
    if (d === undefined) break;
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory()) stack.push(path.join(d, e.name));
      else if (e.isFile()) n++;
    }
  }
  return n;
}

function npmTrees(names: ReadonlySet<string>): Tree[] {
  const modules = path.join(ROOT, 'node_modules');
  const out: Tree[] = [];
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    const dirs = entry.startsWith('@') ? readdirSync(path.join(modules, entry)).map((n) => `${entry}/${n}`) : [entry];
    for (const name of dirs) {
      const dir = path.join(modules, name);
      if (isReserved(name, names) || !statSync(dir).isDirectory()) continue;
      out.push({ name, kind: 'npm', path: dir, files: countFiles(dir) });
    }
  }
  return out;
}

function corpusTrees(kind: 'debian' | 'large', names: ReadonlySet<string>): Tree[] {
  const dir = path.join(CORPUS, kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => !n.endsWith('.part') && !isReserved(n, names) && statSync(path.join(dir, n)).isDirectory())
    .map((n) => ({ name: `${kind}/${n}`, kind, path: path.join(dir, n), files: countFiles(path.join(dir, n)) }));
}

/** Generous: a minute, plus what 20 files/s would need (the engine does over 100). */
function budgetFor(tree: Tree): number {
  return Math.round(60 + tree.files / 20);
}

function runTree(tree: Tree, index: number): Promise<TreeResult> {
  const budgetSeconds = budgetFor(tree);
  // The watchdog: past twice the budget the tree counts as hung and is killed.
  const killAfterMs = budgetSeconds * 2 * 1000;
  const db = path.join(WORK, `${index}.db`);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHILD, tree.path, db], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, killAfterMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
      const wallSeconds = round((performance.now() - started) / 1000);
      let detail: Record<string, unknown> | null = null;
      try {
        const parsed: unknown = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
        if (typeof parsed === 'object' && parsed !== null) detail = Object.fromEntries(Object.entries(parsed));
      } catch {
        detail = null;
      }
      const seconds = typeof detail?.['seconds'] === 'number' ? detail['seconds'] : wallSeconds;
      const filesSeen = typeof detail?.['filesSeen'] === 'number' ? detail['filesSeen'] : 0;
      const outcome: Outcome = hung ? 'hang' : code !== 0 || detail === null ? 'crash' : seconds > budgetSeconds ? 'over-budget' : 'ok';
      const error = outcome === 'ok' || outcome === 'over-budget' ? null : hung ? `killed after ${killAfterMs / 1000} s` : `exit ${code ?? signal ?? '?'}: ${stderr.trim().slice(-1500)}`;
      resolve({ ...tree, outcome, budgetSeconds, wallSeconds, filesPerSecond: seconds > 0 ? round(filesSeen / seconds, 1) : null, detail, error });
    });
  });
}

async function runAll(trees: readonly Tree[], parallel: number, offset: number): Promise<TreeResult[]> {
  const results: TreeResult[] = new Array<TreeResult>(trees.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < trees.length; i = next++) {
      const tree = trees[i];
      if (tree === undefined) continue;
      const result = await runTree(tree, offset + i);
      results[i] = result;
      const d = result.detail;
      log(`${offset + i + 1} ${result.outcome.padEnd(11)} ${tree.name} · ${tree.files} files · ${result.wallSeconds} s · ${String(d?.['peakRssMiB'] ?? '?')} MiB${result.error === null ? '' : ` · ${result.error.split('\n')[0] ?? ''}`}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

function summarize(results: readonly TreeResult[]): Record<string, unknown> {
  const count = (o: Outcome): number => results.filter((r) => r.outcome === o).length;
  const num = (r: TreeResult, key: string): number => (typeof r.detail?.[key] === 'number' ? r.detail[key] : 0);
  const skipped: Record<string, number> = {};
  for (const r of results) {
    const s = r.detail?.['skipped'];
    if (typeof s === 'object' && s !== null) for (const [k, v] of Object.entries(s)) if (typeof v === 'number') skipped[k] = (skipped[k] ?? 0) + v;
  }
  const slowest = [...results].sort((a, b) => b.wallSeconds - a.wallSeconds)[0];
  const hungriest = [...results].sort((a, b) => num(b, 'peakRssMiB') - num(a, 'peakRssMiB'))[0];
  return {
    trees: results.length,
    byKind: Object.fromEntries((['npm', 'debian', 'large', 'combined'] as const).map((k) => [k, results.filter((r) => r.kind === k).length])),
    ok: count('ok'), crashes: count('crash'), hangs: count('hang'), overBudget: count('over-budget'),
    files: results.reduce((n, r) => n + num(r, 'filesSeen'), 0),
    chunks: results.reduce((n, r) => n + num(r, 'chunks'), 0),
    seconds: round(results.reduce((n, r) => n + r.wallSeconds, 0), 1),
    chunkFallbacks: results.reduce((n, r) => n + num(r, 'chunkFallbacks'), 0),
    filesWithRedactions: results.reduce((n, r) => n + num(r, 'redactedFiles'), 0),
    skipped,
    slowestTree: slowest === undefined ? null : { name: slowest.name, files: slowest.files, seconds: slowest.wallSeconds },
    peakRss: hungriest === undefined ? null : { name: hungriest.name, files: hungriest.files, peakRssMiB: num(hungriest, 'peakRssMiB') },
  };
}

async function main(): Promise<void> {
  const names = reservedNames();
  const onlyKind = process.argv[2];
  const all = [...npmTrees(names), ...corpusTrees('debian', names), ...corpusTrees('large', names)].filter((t) => onlyKind === undefined || t.kind === onlyKind);
  const combined = path.join(CORPUS, 'combined');
  const big: Tree[] = existsSync(combined) && (onlyKind === undefined || onlyKind === 'combined') ? [{ name: 'combined', kind: 'combined', path: combined, files: countFiles(combined) }] : [];
  if (!existsSync(path.join(CORPUS, 'debian'))) log(`no Debian or large trees at ${CORPUS}: run npm run bench:wild:corpus first`);
  log(`${all.length + big.length} trees (${all.filter((t) => t.kind === 'npm').length} npm, ${all.filter((t) => t.kind === 'debian').length} Debian, ${all.filter((t) => t.kind === 'large').length} large, ${big.length} combined)`);
  mkdirSync(WORK, { recursive: true });
  const t0 = performance.now();
  const results = [...(await runAll(all, PARALLEL, 0)), ...(await runAll(big, 1, all.length))];
  const summary = { ...summarize(results), totalWallSeconds: round((performance.now() - t0) / 1000, 1) };
  const failures = results.filter((r) => r.outcome !== 'ok').map((r) => ({ name: r.name, outcome: r.outcome, error: r.error, wallSeconds: r.wallSeconds, budgetSeconds: r.budgetSeconds }));
  const out = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memGiB: round(os.totalmem() / 1024 ** 3, 1), node: process.version },
    corpus: CORPUS,
    summary,
    failures,
    trees: results.map((r) => ({ name: r.name, kind: r.kind, files: r.files, outcome: r.outcome, wallSeconds: r.wallSeconds, filesPerSecond: r.filesPerSecond, ...r.detail })),
  };
  mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench', 'results', onlyKind === undefined ? 'wild.json' : `wild-${onlyKind}.json`), `${JSON.stringify(out, null, 2)}\n`);
  log(JSON.stringify(summary));
  if (failures.length > 0) process.exitCode = 1;
}

void main();
