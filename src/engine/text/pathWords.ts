import { identifierParts, wordStem } from './identifiers';

/** A file's name and folders as words, the evidence retrieve/pathEvidence.ts weighs by rarity. */
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

/** Generic folder names say nothing about what a file does. */
const GENERIC_FOLDER = /^(src|lib|source|main|java|kotlin|internal|pkg|cmd|app|include|core|common|util|utils)$/i;

export function pathWords(relPath: string): PathWords {
  const segments = relPath.split('/');
  const base = segments[segments.length - 1] ?? '';
  const dot = base.indexOf('.', 1);
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const folders = segments.slice(-3, -1).filter((f) => !GENERIC_FOLDER.test(f));
  return { stem: wordsOf(stem), folders: [...new Set(folders.flatMap(wordsOf))] };
}

/** Each distinct word of a path once: what the per-word file counts count. */
export function distinctPathWords(relPath: string): Set<string> {
  const w = pathWords(relPath);
  return new Set([...w.stem, ...w.folders]);
}
