import type { PathVocabulary } from '../store/pathWordCounts';
import { pathWords } from '../text/pathWords';

export type { PathVocabulary };

/**
 * File names and folders as evidence: a question about reading configuration is likely about
 * `Config.hs`, a commit about the merger likely changed `merger.go`. A word counts by how rare it is
 * among the index's file names (store/pathWordCounts.ts), so `history` in a repository with one
 * history file is strong and `index` in one with hundreds of index files is weak.
 */
export function rarity(vocabulary: PathVocabulary, word: string): number {
  const df = vocabulary.df.get(word) ?? 0;
  if (df === 0 || vocabulary.files <= 1) return 0;
  return Math.max(0, Math.log(vocabulary.files / df) / Math.log(vocabulary.files));
}

export interface PathMatch {
  /** Summed rarity of the query words in the file name, scaled by how much of the name they cover. */
  readonly stem: number;
  /** Summed rarity of the query words in the folders (not already in the name). */
  readonly folders: number;
}

export function pathMatch(vocabulary: PathVocabulary, queryWords: ReadonlySet<string>, relPath: string): PathMatch {
  const w = pathWords(relPath);
  const inStem = w.stem.filter((x) => queryWords.has(x));
  // The whole stem ("retryhelper") and its parts both count once: coverage is over the parts.
  const parts = w.stem.length > 1 ? w.stem.length - 1 : 1;
  const coverage = Math.min(1, inStem.length / parts);
  const stem = inStem.reduce((a, x) => a + rarity(vocabulary, x), 0) * (0.5 + 0.5 * coverage);
  const folders = w.folders.filter((x) => queryWords.has(x) && !inStem.includes(x)).reduce((a, x) => a + rarity(vocabulary, x), 0);
  return { stem, folders };
}
