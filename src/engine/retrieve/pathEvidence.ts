import type BetterSqlite3 from 'better-sqlite3';
import { perIndexState } from '../store/indexState';
import { identifierParts } from '../text/identifiers';
import { wordStem } from './query';

/**
 * File names and folders as evidence: a question about reading configuration is likely about
 * `Config.hs`, a commit about the merger likely changed `merger.go`. A word counts by how rare it is
 * among the index's file names, so `history` in a repository with one history file is strong and
 * `index` in one with hundreds of index files is weak.
 */
export interface PathWords {
  /** Words of the file name without its extension (`RetryHelper.cs` → retry, helper, retryhelper). */
  readonly stem: readonly string[];
  /** Words of the two nearest folders. */
  readonly folders: readonly string[];
}

function wordsOf(name: string): string[] {
  const lower = name.toLowerCase();
  const parts = identifierParts(name.replace(/[-.]/g, '_'));
  return [...new Set([lower, ...parts].map(wordStem).filter((w) => w.length > 1 && !/^\d+$/.test(w)))];
}

export function pathWords(relPath: string): PathWords {
  const segments = relPath.split('/');
  const base = segments[segments.length - 1] ?? '';
  const dot = base.indexOf('.', 1);
  const stem = dot > 0 ? base.slice(0, dot) : base;
  // Generic folder names say nothing about what a file does.
  const folders = segments.slice(-3, -1).filter((f) => !/^(src|lib|source|main|java|kotlin|internal|pkg|cmd|app|include|core|common|util|utils)$/i.test(f));
  return { stem: wordsOf(stem), folders: [...new Set(folders.flatMap(wordsOf))] };
}

/** How many files' names and folders carry each word. */
export interface PathVocabulary {
  readonly files: number;
  readonly df: ReadonlyMap<string, number>;
}

/** Built once per index state (store/indexState.ts) and kept for later queries. */
export function pathVocabulary(db: BetterSqlite3.Database): PathVocabulary {
  return vocabularyAt(db, 0);
}

const vocabularyAt = perIndexState((db): PathVocabulary => {
  const df = new Map<string, number>();
  let files = 0;
  for (const p of db.prepare("SELECT path FROM files WHERE status = 'indexed'").pluck().iterate()) {
    files++;
    const w = pathWords(String(p));
    for (const word of new Set([...w.stem, ...w.folders])) df.set(word, (df.get(word) ?? 0) + 1);
  }
  return { files, df };
});

/** 1 for a word that names one file, falling towards 0 for a word in every file's path. */
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
