import type BetterSqlite3 from 'better-sqlite3';
import { distinctPathWords } from '../text/pathWords';
import { deleteMeta, getMeta } from './meta';

/**
 * How many indexed files carry each file-name or folder word (`path_words`), and how many indexed
 * files there are (meta `path_files`): kept up by every write, so a query reads the counts of its
 * own few words instead of a vocabulary built from every path (a second at 100k files, again after
 * each save).
 */
export interface PathVocabulary {
  readonly files: number;
  readonly df: ReadonlyMap<string, number>;
}

/** Files entering (+1) or leaving (−1) the indexed set during one transaction, applied at its end. */
export class PathWordChanges {
  private readonly delta = new Map<string, number>();
  private files = 0;

  add(relPath: string, sign: 1 | -1): void {
    this.files += sign;
    for (const word of distinctPathWords(relPath)) this.delta.set(word, (this.delta.get(word) ?? 0) + sign);
  }

  /** Forgets what was gathered (its transaction rolled back). */
  discard(): void {
    this.delta.clear();
    this.files = 0;
  }

  apply(db: BetterSqlite3.Database): void {
    if (this.files === 0 && this.delta.size === 0) return;
    const bump = db.prepare(`INSERT INTO path_words (word, files) VALUES (?, ?)
      ON CONFLICT (word) DO UPDATE SET files = files + excluded.files`);
    for (const [word, d] of this.delta) if (d !== 0) bump.run(word, d);
    db.prepare('DELETE FROM path_words WHERE files <= 0').run();
    db.prepare(`INSERT INTO meta (key, value) VALUES ('path_files', ?)
      ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER) AS TEXT)`).run(String(this.files));
    this.discard();
  }
}

/** The counts of these words (the query's), and of indexed files. */
export function pathVocabularyOf(db: BetterSqlite3.Database, words: Iterable<string>): PathVocabulary {
  const list = [...new Set(words)];
  const df = new Map<string, number>();
  if (list.length > 0) {
    const rows = db.prepare('SELECT word, files FROM path_words WHERE word IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify(list));
    for (const raw of rows) if (Array.isArray(raw)) df.set(String(raw[0]), Number(raw[1]));
  }
  const files = Number(getMeta(db, 'path_files') ?? 0);
  return { files, df };
}

/** Counts every indexed file's words afresh (the migration that introduced the table). */
export function recountPathWords(db: BetterSqlite3.Database): void {
  db.exec('DELETE FROM path_words');
  deleteMeta(db, 'path_files');
  const changes = new PathWordChanges();
  for (const p of db.prepare("SELECT path FROM files WHERE status = 'indexed'").pluck().iterate()) changes.add(String(p), 1);
  changes.apply(db);
}
