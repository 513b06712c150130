import type BetterSqlite3 from 'better-sqlite3';

/** The index's own key–value facts (`meta`): the model, pending work, when upkeep last ran. */
export function getMeta(db: BetterSqlite3.Database, key: string): string | null {
  const value: unknown = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key);
  return typeof value === 'string' ? value : null;
}

export function setMeta(db: BetterSqlite3.Database, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function deleteMeta(db: BetterSqlite3.Database, key: string): void {
  db.prepare('DELETE FROM meta WHERE key = ?').run(key);
}
