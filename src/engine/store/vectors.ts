import type BetterSqlite3 from 'better-sqlite3';

/**
 * The sqlite-vec table holds each chunk's vector twice: as floats (exact KNN, fast enough for small
 * indexes) and binary-quantized (`bit[D]`, one sign bit per dimension). The sign bits are also kept
 * in the plain `vector_bits` table, which the in-memory Hamming scan of large indexes reads
 * (retrieve/bitScan.ts, ~2 ms at 100k chunks where vec0's bit KNN takes ~30; vector.ts says when each is used).
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
    db.exec('DELETE FROM vector_bits');
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

/** One bit per dimension, set where the component is positive (dimension j: byte j >> 3, bit j & 7). */
export function signBits(vector: Float32Array): Buffer {
  const out = Buffer.alloc(Math.ceil(vector.length / 8));
  for (let j = 0; j < vector.length; j++) if ((vector[j] ?? 0) > 0) out[j >> 3] = (out[j >> 3] ?? 0) | (1 << (j & 7));
  return out;
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
