import type BetterSqlite3 from 'better-sqlite3';
import { statement } from './statements';

/**
 * A key that changes whenever the index does: this connection's change count and SQLite's data
 * version (moved by other connections' commits, such as the index worker's). Both are free to read,
 * so in-memory views of the index (file-name vocabulary, sign bits) can check it on every query.
 */
function indexState(db: BetterSqlite3.Database): string {
  return `${String(statement(db, 'PRAGMA data_version').pluck().get())}:${String(statement(db, 'SELECT total_changes()').pluck().get())}`;
}

/**
 * Memoises `build` per database, argument and index state: the value is built on first use and
 * again only after the index has changed (or for another argument, such as a vector width).
 */
export function perIndexState<A extends string | number, T>(build: (db: BetterSqlite3.Database, arg: A) => T): (db: BetterSqlite3.Database, arg: A) => T {
  const cache = new WeakMap<BetterSqlite3.Database, { key: string; value: T }>();
  return (db, arg) => {
    const key = `${indexState(db)}:${String(arg)}`;
    const hit = cache.get(db);
    if (hit !== undefined && hit.key === key) return hit.value;
    const value = build(db, arg);
    cache.set(db, { key, value });
    return value;
  };
}
