/**
 * The dev benchmarks (bench/dev/README.md): commit subject → changed files and hand-written questions
 * over pinned public repositories, for Sourceline's lexical, vector and hybrid search beside plain BM25
 * and ripgrep on the same cases. NDCG@10, MRR and Recall@10 over files, per set, language and kind.
 * Writes bench/results/dev.json. Usage: node dist/bench/dev.js [--model builtin|DIR] [--repos a,b] [--sets commits,long,questions]
 *   [--no-baselines] [--fusion cc:W|rrf:W:K [--fusion-long W] [--write-fusion]] [--misses MODE]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILTIN_MODEL, createEmbedder, modelsDir } from '../../src/engine/embed/createEmbedder';
import { fileRanking, firstRelevantRank, ndcgAt, recallAt, reciprocalRank } from '../../src/engine/eval/metrics';
import type { FusionWeights } from '../../src/engine/embed/embedder';
import type { Retriever } from '../../src/engine/types';
import { DEFAULT_WALK_OPTIONS } from '../../src/engine/walk/walk';
import { Workspace } from '../../src/engine/workspace';
import { runEval } from '../../src/engine/eval/runEval';
import { round } from '../stats';
import { agentCost, summarize, type AgentCost } from './agentEfficiency';
import { PlainBm25, ripgrepRank } from './baselines';
import { commitCases, longCommitCases, questionCases, type DevCase } from './cases';
import { checkout, devRepos } from './repos';

const ROOT = path.resolve(__dirname, '..', '..');
const WORK = path.join(ROOT, '.cache', 'dev');
const MODES: ReadonlyArray<{ mode: string; retrievers: readonly Retriever[] }> = [
  { mode: 'lexical', retrievers: ['lexical'] },
  { mode: 'vector', retrievers: ['vector'] },
  { mode: 'hybrid', retrievers: ['lexical', 'vector'] },
];
/** Doc comment → function cases per repository (one per file, a stable sample). */
const DOC_CASES = 100;

interface DocRow {
  readonly repo: string;
  readonly language: string;
  readonly cases: number;
  readonly mode: string;
  readonly mrr: number;
  readonly recall: number;
  readonly lineMRR: number;
}

/** Case-weighted means of the doc → function rows, per language and overall. */
function docTable(rows: readonly DocRow[]): Table {
  const out: Table = {};
  for (const group of ['all', ...new Set(rows.map((r) => r.language))]) {
    for (const mode of ['lexical', 'vector', 'hybrid']) {
      const list = rows.filter((r) => r.mode === mode && (group === 'all' || r.language === group));
      const n = list.reduce((a, r) => a + r.cases, 0);
      if (n === 0) continue;
      const mean = (f: (r: DocRow) => number): number => round(list.reduce((a, r) => a + f(r) * r.cases, 0) / n, 3);
      // NDCG@10 with one relevant file is its reciprocal log rank; the eval reports MRR, so the column carries the line MRR.
      out[`docs:${group}`] = { ...(out[`docs:${group}`] ?? {}), [mode]: { ndcg: mean((r) => r.lineMRR), mrr: mean((r) => r.mrr), recall: mean((r) => r.recall), n } };
    }
  }
  return out;
}

/** Results read per query: MRR counts ranks up to here; NDCG and recall look at the first 10 files. */
const DEPTH = 50;

interface Scored {
  readonly repo: string;
  readonly language: string;
  readonly set: 'commits' | 'long' | 'questions';
  readonly kind: string;
  readonly mode: string;
  readonly ndcg: number;
  readonly mrr: number;
  readonly recall: number;
}

function log(message: string): void {
  process.stderr.write(`[dev] ${message}\n`);
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function score(ranking: readonly string[], c: DevCase): { ndcg: number; mrr: number; recall: number } {
  const relevant = new Set(c.gold.map((g) => g.path));
  return { ndcg: ndcgAt(ranking, relevant, 10), mrr: reciprocalRank(firstRelevantRank(ranking, relevant)), recall: recallAt(ranking, relevant, 10) };
}

type Table = Record<string, Record<string, { ndcg: number; mrr: number; recall: number; n: number }>>;

/** Mean metrics grouped by `key`, one column per mode. */
function table(rows: readonly Scored[], key: (s: Scored) => string): Table {
  const out: Table = {};
  const groups = new Map<string, Scored[]>();
  for (const r of rows) groups.set(`${key(r)}\0${r.mode}`, [...(groups.get(`${key(r)}\0${r.mode}`) ?? []), r]);
  for (const [k, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const [group = '', mode = ''] = k.split('\0');
    const mean = (f: (s: Scored) => number): number => round(list.reduce((a, s) => a + f(s), 0) / list.length, 3);
    out[group] = { ...(out[group] ?? {}), [mode]: { ndcg: mean((s) => s.ndcg), mrr: mean((s) => s.mrr), recall: mean((s) => s.recall), n: list.length } };
  }
  return out;
}

function printTable(title: string, t: Table, metric: 'ndcg' | 'mrr' | 'recall'): void {
  const modes = ['bm25', 'ripgrep', 'lexical', 'vector', 'hybrid'];
  process.stdout.write(`\n${title} (${metric === 'ndcg' ? 'NDCG@10' : metric === 'mrr' ? 'MRR' : 'Recall@10'})\n${'group'.padEnd(28)}${modes.map((m) => m.padStart(9)).join('')}     n\n`);
  for (const [group, cols] of Object.entries(t)) {
    const n = Object.values(cols)[0]?.n ?? 0;
    process.stdout.write(`${group.padEnd(28)}${modes.map((m) => (cols[m] === undefined ? '-' : cols[m][metric].toFixed(3)).padStart(9)).join('')}${String(n).padStart(6)}\n`);
  }
}

async function main(): Promise<void> {
  const only = option('--repos')?.split(',');
  const sets = option('--sets')?.split(',') ?? ['commits', 'long', 'questions', 'docs'];
  const docRows: DocRow[] = [];
  const baselines = !process.argv.includes('--no-baselines');
  // --misses hybrid: print the cases whose first relevant file is below rank 2, to read what went wrong.
  const misses = option('--misses');
  const embedder = createEmbedder(option('--model'));
  // --fusion cc:0.5 or rrf:0.5:10 — the vector weight (and k) instead of the model's own fusion, for tuning.
  const [method, vector, k] = (option('--fusion') ?? '').split(':');
  // --fusion-long 0.2: another vector weight for long queries (pasted issue text, whole commit messages).
  const long = option('--fusion-long');
  const fusion: FusionWeights | undefined = method === 'cc' || method === 'rrf'
    ? { method, lexical: 1, vector: Number(vector ?? 1), k: Number(k ?? (method === 'rrf' ? 10 : 0)), ...(long === undefined ? {} : { vectorByKind: { long: Number(long) } }) }
    : undefined;
  const rows: Scored[] = [];
  let limitUnstable = 0;
  let limitChecked = 0;
  const agentCosts: AgentCost[] = [];
  for (const repo of devRepos().filter((r) => only === undefined || only.includes(r.name))) {
    const dir = checkout(repo, path.join(WORK, 'src'));
    const dbPath = path.join(WORK, 'db', `${repo.name}-${embedder.id}.db`);
    mkdirSync(path.dirname(dbPath), { recursive: true });
    const ws = Workspace.open({ roots: [{ name: repo.name, path: dir }], dbPath, walk: DEFAULT_WALK_OPTIONS, embedder });
    const t0 = performance.now();
    const summary = await ws.update();
    log(`${repo.name}: ${summary.filesSeen} files seen, ${summary.filesIndexed} (re)indexed in ${round((performance.now() - t0) / 1000)} s`);
    const indexed = new Set(ws.indexStore.db.prepare("SELECT path FROM files WHERE status = 'indexed'").pluck().all().map(String));
    const bm25 = baselines ? new PlainBm25(dir, [...indexed]) : null;
    const cases = [...(sets.includes('commits') ? commitCases(repo) : []), ...(sets.includes('long') ? longCommitCases(repo) : []), ...(sets.includes('questions') ? questionCases(repo) : [])];
    for (const c of cases) {
      const set = c.kind === 'commit' ? 'commits' : c.kind === 'commit-long' ? 'long' : 'questions';
      const push = (mode: string, ranking: readonly string[]): void => {
        rows.push({ repo: repo.name, language: repo.language, set, kind: c.kind, mode, ...score(ranking, c) });
      };
      for (const { mode, retrievers } of MODES) {
        const { hits } = await ws.search(c.query, { limit: DEPTH, retrievers, ...(fusion === undefined ? {} : { fusion }) });
        const files = fileRanking(hits.map((h) => ({ path: h.relPath, startLine: h.startLine, endLine: h.endLine })));
        push(mode, files);
        if (misses === mode && score(files, c).mrr < 0.5) process.stdout.write(`MISS ${repo.name} [${c.kind}] ${c.query.slice(0, 100)}\n  gold: ${c.gold.map((g) => g.path).join(' ')}\n  got:  ${files.slice(0, 4).join(' ')}\n`);
        if (mode === 'hybrid') {
          // The first 10 of a longer list must be the list for 10.
          const short = await ws.search(c.query, { limit: 10, retrievers, ...(fusion === undefined ? {} : { fusion }) });
          limitChecked++;
          if (short.hits.map((h) => h.chunkId).join() !== hits.slice(0, 10).map((h) => h.chunkId).join()) limitUnstable++;
        }
      }
      if (bm25 !== null) {
        push('bm25', bm25.rank(c.query, DEPTH));
        push('ripgrep', ripgrepRank(dir, indexed, c.query, DEPTH));
        // Issue 13's measure: what an agent reads to reach the answer, search tool vs grep-then-read.
        if (set === 'questions') agentCosts.push(await agentCost(ws, dir, indexed, c));
      }
    }
    if (sets.includes('docs')) {
      // Doc comment → function, mined from this repository as `sourceline eval` does (a copy with the comments blanked).
      const report = await runEval(ws, { maxCases: DOC_CASES, kinds: ['doc2func'] });
      for (const r of report.rows) docRows.push({ repo: repo.name, language: repo.language, cases: report.cases.doc2func, mode: r.retriever, mrr: r.fileMRR, recall: r['fileRecall@10'], lineMRR: r.lineMRR ?? 0 });
    }
    bm25?.close();
    ws.close();
    log(`${repo.name}: ${cases.length} cases`);
  }
  await embedder.dispose();
  const bySet = table(rows, (r) => r.set);
  const byLanguage = table(rows, (r) => `${r.set}:${r.language}`);
  const byKind = table(rows.filter((r) => r.set === 'questions'), (r) => r.kind);
  const byRepo = table(rows, (r) => `${r.set}:${r.repo}`);
  // Where hybrid falls below its own lexical side (the floor: never, on any dev set).
  const byDocs = docTable(docRows);
  const docsBelow = Object.entries(byDocs).filter(([, cols]) => (cols['hybrid']?.mrr ?? 0) < (cols['lexical']?.mrr ?? 0)).map(([g]) => g);
  const hybridBelowLexical = Object.entries({ ...bySet, ...byLanguage, ...byKind }).filter(([, cols]) => (cols['hybrid']?.ndcg ?? 0) < (cols['lexical']?.ndcg ?? 0)).map(([g]) => g).concat(docsBelow);
  const result = {
    date: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version }, model: embedder.id,
    bySet, byLanguage, byKind, byRepo, hybridBelowLexical,
    docToFunction: { note: 'ndcg holds the line MRR (rank of the first chunk overlapping the documented unit)', byLanguage: byDocs, perRepo: docRows },
    limitStability: { checked: limitChecked, topTenDiffers: limitUnstable },
    agentEfficiency: agentCosts.length === 0 ? null : { note: 'hand-written questions: tokens read (chars/4) up to the first range in a gold file — search_code\'s text entry by entry vs ripgrep with the question\'s words, files read whole in order', ...summarize(agentCosts) },
  };
  for (const metric of ['ndcg', 'mrr', 'recall'] as const) printTable('by set', bySet, metric);
  printTable('doc comment → function by language (file MRR; the unit itself: see lineMRR in dev.json)', byDocs, 'mrr');
  printTable('by language', byLanguage, 'ndcg');
  printTable('questions by kind', byKind, 'ndcg');
  if (result.agentEfficiency !== null) {
    const a = result.agentEfficiency;
    process.stdout.write(`\nagent efficiency on ${a.cases} questions (tokens read to the first relevant code): search_code median ${a.tool.medianTokens} (found ${a.tool.found}, median rank ${a.tool.medianRank ?? '-'}) vs grep-then-read median ${a.grep.medianTokens} (found ${a.grep.found}, median rank ${a.grep.medianRank ?? '-'}): ${a.medianTokenRatio}× fewer\n`);
  }
  process.stdout.write(`\nhybrid below lexical in: ${hybridBelowLexical.join(', ') || 'none'}\nlimit 10 vs first 10 of 50 differ: ${limitUnstable}/${limitChecked}\n`);
  const setsBelow = Object.keys(bySet).filter((g) => hybridBelowLexical.includes(g));
  if (process.argv.includes('--write-fusion') && fusion !== undefined) {
    // The chosen weight goes into the model's meta.json, where search picks it up — only if it keeps hybrid at or above lexical.
    if (setsBelow.length > 0) throw new Error(`not writing ${JSON.stringify(fusion)}: hybrid is below lexical on ${setsBelow.join(', ')}`);
    const spec = option('--model');
    const metaFile = path.join(spec === undefined || spec === 'builtin' ? path.join(modelsDir(), BUILTIN_MODEL) : path.resolve(spec), 'meta.json');
    const meta: unknown = JSON.parse(readFileSync(metaFile, 'utf8'));
    const base = typeof meta === 'object' && meta !== null ? meta : {};
    writeFileSync(metaFile, `${JSON.stringify({ ...base, fusion, fusionTunedOn: 'bench/dev: commit → files, long commit messages and hand-written questions over the pinned repositories of bench/dev/repos.json' }, null, 2)}\n`);
    log(`wrote fusion ${JSON.stringify(fusion)} to ${metaFile}`);
  }
  if (only === undefined) {
    mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(path.join(ROOT, 'bench', 'results', 'dev.json'), `${JSON.stringify(result, null, 2)}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`dev bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
