import type BetterSqlite3 from 'better-sqlite3';

/**
 * A key that changes whenever the index does: this connection's change count and SQLite's data
 * version (moved by other connections' commits, such as the index worker's). Both are free to read,
 * so in-memory views of the index (file-name vocabulary, sign bits) can check it on every query.
 */
export function indexState(db: BetterSqlite3.Database): string {
  return `${String(db.pragma('data_version', { simple: true }))}:${String(db.prepare('SELECT total_changes()').pluck().get())}`;
}
