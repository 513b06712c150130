import type BetterSqlite3 from 'better-sqlite3';
import { nameKey } from '../store/nameKeys';

/** A name defined in this many places says little about which one is meant ("new", "get", "run"). */
const AMBIGUOUS = 24;

/** Chunks that define each of these names (case-insensitive), skipping names defined too often to tell. */
export function definingChunks(db: BetterSqlite3.Database, names: readonly string[]): Map<number, string> {
  const out = new Map<number, string>();
  if (names.length === 0) return out;
  const lookup = db.prepare('SELECT chunk_id FROM definitions WHERE key = ? AND name = ? COLLATE NOCASE LIMIT ?').pluck();
  for (const name of names) {
    const ids = lookup.all(nameKey(name), name, AMBIGUOUS + 1).map(Number);
    if (ids.length > AMBIGUOUS) continue;
    for (const id of ids) if (!out.has(id)) out.set(id, name);
  }
  return out;
}
