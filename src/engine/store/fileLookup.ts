import type BetterSqlite3 from 'better-sqlite3';
import { rowOf } from './rows';

/** What the index knows of one file: indexed, or skipped with the walker's reason. */
export interface KnownFile {
  readonly rootName: string;
  readonly rootPath: string;
  readonly relPath: string;
  readonly status: 'indexed' | 'skipped';
  readonly reason: string | null;
  readonly detail: string | null;
}

/** The file at `relPath` in any root (several when roots share a relative path), as the index last saw it. */
export function knownFiles(db: BetterSqlite3.Database, relPath: string): KnownFile[] {
  return db
    .prepare('SELECT r.name AS root_name, r.path AS root_path, f.path, f.status, f.reason, f.detail FROM files f JOIN roots r ON r.id = f.root_id WHERE f.path = ? ORDER BY r.id')
    .all(relPath)
    .map((raw) => {
      const r = rowOf(raw);
      return {
        rootName: String(r['root_name']),
        rootPath: String(r['root_path']),
        relPath: String(r['path']),
        status: r['status'] === 'indexed' ? 'indexed' : 'skipped',
        reason: typeof r['reason'] === 'string' ? r['reason'] : null,
        detail: typeof r['detail'] === 'string' ? r['detail'] : null,
      };
    });
}
