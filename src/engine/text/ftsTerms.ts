import { chunkDefinitions, type Definition } from '../chunk/definitions';
import type { Chunk } from '../types';
import { wordUnitsAt } from './charClass';
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
  /** Tokens of the symbol and body columns: stored with the chunk, so BM25's length norm needs no re-derivation. */
  readonly tokens: number;
}

/**
 * Tokens of a column's text (runs of `[\p{L}\p{N}_]`), counted as the lexical scoring counts them
 * (retrieve/lexical.ts). Counted by char code: matching built an array of every token's string.
 */
export function countTokens(text: string): number {
  let tokens = 0;
  let inToken = false;
  for (let i = 0; i < text.length; i++) {
    const units = wordUnitsAt(text, i);
    if (units === 0) {
      inToken = false;
      continue;
    }
    if (!inToken) tokens++;
    inToken = true;
    i += units - 1;
  }
  return tokens;
}

/** The `symbol` column from the names a chunk defines (its own symbol first). */
export function nameTermsOf(symbol: string, definedNames: readonly string[]): string {
  return expandIdentifiers([...new Set([symbol, ...definedNames].filter((n) => n !== ''))].join(' '));
}

/** The `path` column: the path's words, identifiers expanded. */
export function pathTerms(relPath: string): string {
  return expandIdentifiers(relPath.replace(/[/.\\-]/g, ' '));
}

export function chunkTerms(relPath: string, chunk: Pick<Chunk, 'symbol' | 'text' | 'startLine' | 'context'>): ChunkTerms {
  const definitions = chunkDefinitions(relPath, chunk);
  // The symbol column carries every defined name, so a name matches with the symbol weight in any language.
  const nameTerms = nameTermsOf(chunk.symbol, definitions.map((d) => d.name));
  const bodyTerms = expandIdentifiers(`${chunk.context}\n${chunk.text}`);
  return { definitions, nameTerms, bodyTerms, tokens: countTokens(nameTerms) + countTokens(bodyTerms) };
}
