import type { Chunk, LanguageId } from '../types';
import { LANGUAGES } from './languages';
import { lineSegments, markdownSegments } from './markdownChunker';
import { DEFAULT_LIMITS, mergeTiny, toChunks, type ChunkLimits, type Segment } from './segments';
import { TreeChunker } from './treeChunker';
import { parserFor } from './treeSitter';

export interface ChunkInput {
  readonly relPath: string;
  readonly text: string;
  readonly language: LanguageId | null;
}

/** Chunks one file along its syntax; falls back to line windows when there is no grammar. */
export async function chunkFile(input: ChunkInput, limits: ChunkLimits = DEFAULT_LIMITS): Promise<Chunk[]> {
  const lines = input.text.split('\n');
  const segments = await segmentsFor(input, lines, limits);
  const sorted = [...segments].sort((a, b) => a.start - b.start || a.end - b.end);
  return toChunks(mergeTiny(sorted, limits), lines, input.relPath);
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
    const segment = new TreeChunker(spec, input.text, lines, DEFAULT_LIMITS).innermostAt(tree.rootNode, line - 1);
    return segment === null ? null : (toChunks([segment], lines, input.relPath)[0] ?? null);
  } finally {
    tree.delete();
  }
}

async function segmentsFor(input: ChunkInput, lines: readonly string[], limits: ChunkLimits): Promise<Segment[]> {
  if (input.language === 'markdown') return markdownSegments(lines, limits);
  const spec = input.language === null ? undefined : LANGUAGES[input.language];
  const parser = input.language === null ? null : await parserFor(input.language);
  if (spec === undefined || parser === null) return lineSegments(lines, limits);
  const tree = parser.parse(input.text);
  if (tree === null) return lineSegments(lines, limits);
  try {
    return new TreeChunker(spec, input.text, lines, limits).chunkRoot(tree.rootNode);
  } finally {
    tree.delete();
  }
}
