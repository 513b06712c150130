import type BetterSqlite3 from 'better-sqlite3';
import { sha256 } from '../hash';
import { statement } from './statements';

/**
 * The embedding cache's keys as stored. A chunk's text hash is the first 16 bytes of the SHA-256 of
 * what is embedded (plenty to tell a million chunks apart), stored as a BLOB; code passes it around
 * as 32 hex digits. The model is a small integer (`models`), not its 31-character name on every row.
 * Together they took 182 MiB off an index of 1.33M chunks.
 */
export function chunkHash(embedText: string): string {
  return sha256(embedText).slice(0, 32);
}

/** A hash as bound to SQL. */
export function hashKey(hex: string): Buffer {
  return Buffer.from(hex.slice(0, 32), 'hex');
}

/** A stored hash as code passes it around. */
export function hashOfRow(stored: unknown): string {
  if (Buffer.isBuffer(stored)) return stored.toString('hex');
  return typeof stored === 'string' ? stored : '';
}

/** The model's key in the cache, or null when nothing was ever cached for it. */
export function modelKey(db: BetterSqlite3.Database, modelId: string): number | null {
  const id: unknown = statement(db, 'SELECT id FROM models WHERE name = ?').pluck().get(modelId);
  return typeof id === 'number' ? id : null;
}

/** The model's key, given one if it has none yet. */
export function ensureModelKey(db: BetterSqlite3.Database, modelId: string): number {
  return modelKey(db, modelId) ?? Number(db.prepare('INSERT INTO models (name) VALUES (?)').run(modelId).lastInsertRowid);
}
