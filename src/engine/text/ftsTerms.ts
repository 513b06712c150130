import { chunkDefinitions, type Definition } from '../chunk/definitions';
import type { Chunk } from '../types';
import { expandIdentifiers } from './identifiers';

/**
 * The lexical index's columns of a chunk, derived from its path and lines alone. The index keeps no
 * copy of them (it is contentless): whoever needs a row's columns derives them again from here, so
 * they are exactly what was indexed.
 */
export interface ChunkTerms {
  readonly definitions: readonly Definition[];
  /** The `symbol` column: every defined name, identifiers expanded. */
  readonly nameTerms: string;
  /** The `body` column: context and text, identifiers expanded. */
  readonly bodyTerms: string;
}

/** The `path` column: the path's words, identifiers expanded. */
export function pathTerms(relPath: string): string {
  return expandIdentifiers(relPath.replace(/[/.\\-]/g, ' '));
}

export function chunkTerms(relPath: string, chunk: Pick<Chunk, 'symbol' | 'text' | 'startLine' | 'context'>): ChunkTerms {
  const definitions = chunkDefinitions(relPath, chunk);
  // The symbol column carries every defined name, so a name matches with the symbol weight in any language.
  const names = [...new Set([chunk.symbol, ...definitions.map((d) => d.name)].filter((n) => n !== ''))].join(' ');
  return { definitions, nameTerms: expandIdentifiers(names), bodyTerms: expandIdentifiers(`${chunk.context}\n${chunk.text}`) };
}
