import type BetterSqlite3 from 'better-sqlite3';

/**
 * The sqlite-vec table. Its width is the model's, so it is (re)created when the model changes;
 * rows are keyed by chunk id. sqlite-vec wants integer keys bound as BigInt (a JS number binds as REAL).
 */
export interface ModelIdentity {
  readonly id: string;
  readonly dims: number;
}

export function currentModel(db: BetterSqlite3.Database): ModelIdentity | null {
  const id = db.prepare("SELECT value FROM meta WHERE key = 'model'").pluck().get();
  const dims = db.prepare("SELECT value FROM meta WHERE key = 'model_dims'").pluck().get();
  if (typeof id !== 'string' || typeof dims !== 'string') return null;
  return { id, dims: Number(dims) };
}

export function vectorTableExists(db: BetterSqlite3.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'chunks_vec'").get() !== undefined;
}

/**
 * Makes the vector table match `model`. Returns true when it was (re)created, meaning every chunk
 * needs a vector again (served from the embedding cache where the model has seen the text before).
 */
export function ensureVectorTable(db: BetterSqlite3.Database, model: ModelIdentity): boolean {
  const current = currentModel(db);
  if (current !== null && current.id === model.id && current.dims === model.dims && vectorTableExists(db)) return false;
  db.transaction(() => {
    db.exec('DROP TABLE IF EXISTS chunks_vec');
    db.exec(`CREATE VIRTUAL TABLE chunks_vec USING vec0(chunk_id INTEGER PRIMARY KEY, embedding float[${model.dims}] distance_metric=cosine)`);
    const set = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    set.run('model', model.id);
    set.run('model_dims', String(model.dims));
    // Existing chunks have no vectors now; the flag survives a crash until the backfill finishes.
    set.run('vectors_pending', '1');
  })();
  return true;
}

export function vectorBytes(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

export function vectorFromBytes(bytes: Buffer): Float32Array {
  // Copy: the Buffer may be a view on a pooled allocation with an unaligned offset.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

export function vectorsPending(db: BetterSqlite3.Database): boolean {
  return db.prepare("SELECT value FROM meta WHERE key = 'vectors_pending'").pluck().get() === '1';
}

export function clearVectorsPending(db: BetterSqlite3.Database): void {
  db.prepare("DELETE FROM meta WHERE key = 'vectors_pending'").run();
}
