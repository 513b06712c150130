import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { absoluteFile } from '../paths';
import type { CandidateFeatures } from '../retrieve/features';
import type { FusionWeights } from '../retrieve/fuse';
import { rowOf } from '../store/rows';
import type { Retriever } from '../types';
import { Workspace } from '../workspace';
import { mineCommitCases, mineDocCases, type CommitCase, type DocCase } from './cases';
import { fileRanking, firstRelevantRank, lineRank, mean, recallAt, reciprocalRank, type RankedResult } from './metrics';

export type RetrieverMode = 'lexical' | 'vector' | 'hybrid';
const MODES: ReadonlyArray<{ mode: RetrieverMode; retrievers: readonly Retriever[] }> = [
  { mode: 'lexical', retrievers: ['lexical'] },
  { mode: 'vector', retrievers: ['vector'] },
  { mode: 'hybrid', retrievers: ['lexical', 'vector'] },
];

export interface EvalRow {
  readonly kind: 'doc2func' | 'commit2files';
  readonly retriever: RetrieverMode;
  readonly 'fileRecall@1': number;
  readonly 'fileRecall@5': number;
  readonly 'fileRecall@10': number;
  readonly fileMRR: number;
  /** Rank of the first chunk overlapping the documented unit; commits name files, not lines: null. */
  readonly lineMRR: number | null;
}

export interface GridPoint {
  readonly fusion: FusionWeights;
  readonly kind: EvalRow['kind'];
  readonly fileMRR: number;
}

export interface EvalReport {
  readonly cases: { readonly doc2func: number; readonly commit2files: number };
  readonly rows: readonly EvalRow[];
  readonly model: string;
  /** Hybrid file MRR for each fusion setting of `fusionGrid` (tuning on a dev corpus). */
  readonly grid: readonly GridPoint[];
}

export interface EvalOptions {
  readonly maxCases?: number;
  /** Which case kinds to mine and score (default both). */
  readonly kinds?: ReadonlyArray<EvalRow['kind']>;
  /** Doc cases per file (default 1, so big files do not dominate); training the reranker takes more. */
  readonly casesPerFile?: number;
  readonly fusion?: FusionWeights;
  readonly fusionGrid?: readonly FusionWeights[];
  /** Called per doc case with the hybrid search's candidates and their reranker features (training the reranker). */
  readonly onDocCandidates?: (c: DocCase, candidates: readonly CandidateFeatures[]) => void;
  /** Called with progress text (the eval indexes a copy of the repository). */
  readonly onProgress?: (message: string) => void;
}

const DEPTH = 50;
const round = (x: number): number => Math.round(x * 1000) / 1000;

interface CaseResult {
  readonly ranks: readonly number[];
  readonly recalls: readonly [number, number, number];
  readonly line: number | null;
}

function row(kind: EvalRow['kind'], retriever: RetrieverMode, results: readonly CaseResult[]): EvalRow {
  return {
    kind,
    retriever,
    'fileRecall@1': round(mean(results.map((r) => r.recalls[0]))),
    'fileRecall@5': round(mean(results.map((r) => r.recalls[1]))),
    'fileRecall@10': round(mean(results.map((r) => r.recalls[2]))),
    fileMRR: round(mean(results.map((r) => reciprocalRank(r.ranks[0] ?? 0)))),
    lineMRR: kind === 'doc2func' ? round(mean(results.map((r) => reciprocalRank(r.line ?? 0)))) : null,
  };
}

async function ranked(ws: Workspace, query: string, retrievers: readonly Retriever[], fusion: FusionWeights | undefined, onCandidates?: (c: readonly CandidateFeatures[]) => void): Promise<RankedResult[]> {
  const { hits } = await ws.search(query, { limit: DEPTH, retrievers, ...(fusion === undefined ? {} : { fusion }), ...(onCandidates === undefined ? {} : { onCandidates }) });
  return hits.map((h) => ({ path: h.displayPath, startLine: h.startLine, endLine: h.endLine }));
}

async function gridPoints(ws: Workspace, kind: EvalRow['kind'], queries: ReadonlyArray<{ query: string; relevant: ReadonlySet<string> }>, grid: readonly FusionWeights[]): Promise<GridPoint[]> {
  const out: GridPoint[] = [];
  for (const fusion of grid) {
    const rr: number[] = [];
    for (const q of queries) rr.push(reciprocalRank(firstRelevantRank(fileRanking(await ranked(ws, q.query, ['lexical', 'vector'], fusion)), q.relevant)));
    out.push({ fusion, kind, fileMRR: round(mean(rr)) });
  }
  return out;
}

/**
 * A copy of the indexed files with the sampled doc comments blanked (replaced by empty lines, so
 * line numbers hold): searching it with a doc comment cannot find the comment itself.
 */
function blankedCopy(ws: Workspace, cases: readonly DocCase[], dir: string): Array<{ name: string; path: string }> {
  const byFile = new Map<string, DocCase[]>();
  for (const c of cases) byFile.set(`${c.rootPath}\0${c.relPath}`, [...(byFile.get(`${c.rootPath}\0${c.relPath}`) ?? []), c]);
  const rows = ws.indexStore.db.prepare("SELECT r.name, r.path AS root, f.path FROM files f JOIN roots r ON r.id = f.root_id WHERE f.status = 'indexed'").all();
  const roots = new Map<string, string>();
  for (const raw of rows) {
    const r = rowOf(raw);
    const rootName = String(r['name']);
    const rootPath = String(r['root']);
    const relPath = String(r['path']);
    // Rule files are not copied: the copy holds exactly what was indexed.
    if (path.posix.basename(relPath) === '.gitignore' || path.posix.basename(relPath) === '.sourcelineignore') continue;
    const copyRoot = path.join(dir, 'roots', String(roots.size), rootName);
    if (!roots.has(rootPath)) roots.set(rootPath, copyRoot);
    const target = absoluteFile(roots.get(rootPath) ?? copyRoot, relPath);
    let text: string;
    try {
      text = readFileSync(absoluteFile(rootPath, relPath), 'utf8');
    } catch {
      continue;
    }
    const blank = byFile.get(`${rootPath}\0${relPath}`);
    if (blank !== undefined) {
      const lines = text.split('\n');
      for (const c of blank) for (let l = c.docStartLine; l <= c.docEndLine; l++) lines[l - 1] = '';
      text = lines.join('\n');
    }
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return [...roots.values()].map((p) => ({ name: path.basename(p), path: p }));
}

async function evalDocCases(ws: Workspace, cases: readonly DocCase[], options: EvalOptions): Promise<{ rows: EvalRow[]; grid: GridPoint[] }> {
  if (cases.length === 0) return { rows: [], grid: [] };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sourceline-eval-'));
  try {
    options.onProgress?.(`indexing a copy with ${cases.length} doc comments blanked`);
    const roots = blankedCopy(ws, cases, dir);
    const copy = Workspace.open({ roots, dbPath: path.join(dir, 'eval.db'), walk: ws.config.walk, embedder: ws.embedder });
    try {
      await copy.update();
      const out: EvalRow[] = [];
      for (const { mode, retrievers } of MODES) {
        const results: CaseResult[] = [];
        for (const c of cases) {
          const collect = mode === 'hybrid' && options.onDocCandidates !== undefined ? options.onDocCandidates : undefined;
          const hits = await ranked(copy, c.query, retrievers, options.fusion, collect === undefined ? undefined : (found) => collect(c, found));
          const files = fileRanking(hits);
          const relevant = new Set([c.displayPath]);
          results.push({
            ranks: [firstRelevantRank(files, relevant)],
            recalls: [recallAt(files, relevant, 1), recallAt(files, relevant, 5), recallAt(files, relevant, 10)],
            line: lineRank(hits, { path: c.displayPath, startLine: c.startLine, endLine: c.endLine }),
          });
        }
        out.push(row('doc2func', mode, results));
      }
      const grid = await gridPoints(copy, 'doc2func', cases.map((c) => ({ query: c.query, relevant: new Set([c.displayPath]) })), options.fusionGrid ?? []);
      return { rows: out, grid };
    } finally {
      copy.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function evalCommitCases(ws: Workspace, cases: readonly CommitCase[], options: EvalOptions): Promise<{ rows: EvalRow[]; grid: GridPoint[] }> {
  if (cases.length === 0) return { rows: [], grid: [] };
  const out: EvalRow[] = [];
  for (const { mode, retrievers } of MODES) {
    const results: CaseResult[] = [];
    for (const c of cases) {
      const files = fileRanking(await ranked(ws, c.query, retrievers, options.fusion));
      const relevant = new Set(c.files);
      results.push({
        ranks: [firstRelevantRank(files, relevant)],
        recalls: [recallAt(files, relevant, 1), recallAt(files, relevant, 5), recallAt(files, relevant, 10)],
        line: null,
      });
    }
    out.push(row('commit2files', mode, results));
  }
  const grid = await gridPoints(ws, 'commit2files', cases.map((c) => ({ query: c.query, relevant: new Set(c.files) })), options.fusionGrid ?? []);
  return { rows: out, grid };
}

/**
 * The retrieval eval users run on their own repository: doc comment → the function it documents,
 * and commit subject → the files the commit changed; lexical, vector and hybrid side by side.
 */
export async function runEval(ws: Workspace, options: EvalOptions = {}): Promise<EvalReport> {
  const max = options.maxCases ?? 300;
  const kinds = options.kinds ?? ['doc2func', 'commit2files'];
  const docCases = kinds.includes('doc2func') ? mineDocCases(ws, max, options.casesPerFile ?? 1) : [];
  const commitCases = kinds.includes('commit2files') ? await mineCommitCases(ws, max) : [];
  options.onProgress?.(`${docCases.length} doc → function cases, ${commitCases.length} commit → files cases`);
  const doc = await evalDocCases(ws, docCases, options);
  const commit = await evalCommitCases(ws, commitCases, options);
  return { cases: { doc2func: docCases.length, commit2files: commitCases.length }, rows: [...doc.rows, ...commit.rows], model: ws.embedder.id, grid: [...doc.grid, ...commit.grid] };
}
