import type { Chunk, LanguageId } from '../types';
import { LANGUAGES } from './languages';
import { lineSegments, markdownSegments } from './markdownChunker';
import { DEFAULT_LIMITS, mergeTiny, Rows, toChunks, type ChunkLimits, type Segment } from './segments';
import { ChunkDeadline, TreeChunker } from './treeChunker';
import { parserFor } from './treeSitter';

export interface ChunkInput {
  readonly relPath: string;
  readonly text: string;
  readonly language: LanguageId | null;
}

/** How long one file may take to parse and chunk before it is given up (design: a per-file budget). */
export const DEFAULT_CHUNK_BUDGET_MS = 4000;

/**
 * `chunks`: the file's chunks; `fallback` says why line windows were used instead of the syntax
 * tree (the chunker failed on this file), null when they were not. `timeout`: the file took longer
 * than its budget and was given up.
 */
export type ChunkOutcome =
  | { readonly type: 'chunks'; readonly chunks: Chunk[]; readonly fallback: string | null }
  | { readonly type: 'timeout'; readonly detail: string };

/** Chunks one file along its syntax; falls back to line windows when there is no grammar. */
export async function chunkFile(input: ChunkInput, limits: ChunkLimits = DEFAULT_LIMITS): Promise<Chunk[]> {
  const outcome = await chunkWithin(input, limits, Infinity);
  return outcome.type === 'chunks' ? outcome.chunks : [];
}

/**
 * Chunks one file within `budgetMs`. Never throws for anything in the file: a chunker failure
 * (a bug, or input deeper than any grammar's tree walk should follow) falls back to line windows.
 */
export async function chunkWithin(input: ChunkInput, limits: ChunkLimits, budgetMs: number): Promise<ChunkOutcome> {
  const started = performance.now();
  const deadline = started + budgetMs;
  const rows = new Rows(input.text.split('\n'));
  let fallback: string | null = null;
  let segments: Segment[];
  try {
    segments = await segmentsFor(input, rows, limits, deadline);
  } catch (error) {
    if (error instanceof ChunkDeadline) return timeout(budgetMs);
    fallback = `syntax chunking failed (${error instanceof Error ? error.message : String(error)}); chunked by line windows`;
    segments = lineSegments(rows, limits);
  }
  if (performance.now() > deadline) return timeout(budgetMs);
  const sorted = [...segments].sort((a, b) => a.start - b.start || a.end - b.end);
  return { type: 'chunks', chunks: toChunks(mergeTiny(sorted, limits), rows.lines, input.relPath), fallback };
}

function timeout(budgetMs: number): ChunkOutcome {
  return { type: 'timeout', detail: `chunking took longer than ${(budgetMs / 1000).toFixed(1)} s` };
}

/** The innermost definition containing `line` (1-based), however small or nested; null without a grammar or outside any. */
export async function definitionAt(input: ChunkInput, line: number): Promise<Chunk | null> {
  const spec = input.language === null ? undefined : LANGUAGES[input.language];
  const parser = input.language === null ? null : await parserFor(input.language);
  if (spec === undefined || parser === null) return null;
  const tree = parser.parse(input.text);
  if (tree === null) return null;
  try {
    const lines = input.text.split('\n');
    const segment = new TreeChunker(spec, input.text, new Rows(lines), DEFAULT_LIMITS).innermostAt(tree.rootNode, line - 1);
    return segment === null ? null : (toChunks([segment], lines, input.relPath)[0] ?? null);
  } finally {
    tree.delete();
  }
}

async function segmentsFor(input: ChunkInput, rows: Rows, limits: ChunkLimits, deadline: number): Promise<Segment[]> {
  if (input.language === 'markdown') return markdownSegments(rows, limits);
  const spec = input.language === null ? undefined : LANGUAGES[input.language];
  const parser = input.language === null ? null : await parserFor(input.language);
  if (spec === undefined || parser === null) return lineSegments(rows, limits);
  // The progress callback cancels a parse that runs past the deadline (it returns null then).
  const tree = parser.parse(input.text, null, { progressCallback: () => performance.now() > deadline });
  if (tree === null) {
    // A cancelled parse would otherwise resume on the parser's next use, with another file's text.
    parser.reset();
    if (performance.now() > deadline) throw new ChunkDeadline();
    return lineSegments(rows, limits);
  }
  try {
    return new TreeChunker(spec, input.text, rows, limits, deadline).chunkRoot(tree.rootNode);
  } finally {
    tree.delete();
  }
}
