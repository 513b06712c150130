import type BetterSqlite3 from 'better-sqlite3';

/**
 * The sqlite-vec table holds each chunk's vector twice: as floats (exact KNN, fast enough for small
 * indexes) and binary-quantized (`bit[D]`, one sign bit per dimension: a Hamming scan of 100k chunks
 * takes ~10 ms where the float scan takes ~50; see vector.ts for when each is used).
 * Its width is the model's, so it is (re)created when the model changes; rows are keyed by chunk id,
 * bound as BigInt (sqlite-vec rejects a JS number, which binds as REAL).
 */
export const VECTOR_LAYOUT = 'float+bit-v1';
export interface ModelIdentity {
  readonly id: string;
  readonly dims: number;
}

export function currentModel(db: BetterSqlite3.Database): ModelIdentity | null {
  const id = db.prepare("SELECT value FROM meta WHERE key = 'model'").pluck().get();
  const dims = db.prepare("SELECT value FROM meta WHERE key = 'model_dims'").pluck().get();
  const layout = db.prepare("SELECT value FROM meta WHERE key = 'vector_layout'").pluck().get();
  if (typeof id !== 'string' || typeof dims !== 'string' || layout !== VECTOR_LAYOUT) return null;
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
    if (model.dims % 8 !== 0) throw new Error(`vector width ${model.dims} is not a multiple of 8`);
    db.exec(`CREATE VIRTUAL TABLE chunks_vec USING vec0(chunk_id INTEGER PRIMARY KEY,
      embedding float[${model.dims}] distance_metric=cosine, embedding_bits bit[${model.dims}])`);
    const set = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    set.run('model', model.id);
    set.run('model_dims', String(model.dims));
    set.run('vector_layout', VECTOR_LAYOUT);
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

export function markVectorsPending(db: BetterSqlite3.Database): void {
  db.prepare("INSERT INTO meta (key, value) VALUES ('vectors_pending', '1') ON CONFLICT (key) DO UPDATE SET value = '1'").run();
}

export function clearVectorsPending(db: BetterSqlite3.Database): void {
  db.prepare("DELETE FROM meta WHERE key = 'vectors_pending'").run();
}
