import type BetterSqlite3 from 'better-sqlite3';

/**
 * Prepared statements kept per connection: a search prepares the same few queries every time, and
 * compiling them was a tenth of a millisecond each on the hot path. A statement's mode (pluck, raw)
 * sticks to it, so one SQL text must always be used in one mode.
 */
const kept = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

export function statement(db: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  let statements = kept.get(db);
  if (statements === undefined) {
    statements = new Map();
    kept.set(db, statements);
  }
  let s = statements.get(sql);
  if (s === undefined) {
    s = db.prepare(sql);
    statements.set(sql, s);
  }
  return s;
}
