import type BetterSqlite3 from 'better-sqlite3';
import { deleteMeta, getMeta, setMeta } from './meta';
import { createExactTable } from './exactTable';

/**
 * Vectors are stored at a quarter of their float size: int8, scaled so the largest component is
 * ±127 (cosine needs only the direction, so no scale is kept). The embedding cache holds them by
 * text hash (re-chunked or moved code is not embedded again) and serves exact rescoring; each
 * vector's sign bits sit in the packed blocks the in-memory Hamming scan of large indexes reads
 * (store/bitBlocks.ts, retrieve/bitScan.ts); small indexes also keep them in sqlite-vec's table for
 * exact KNN (store/exactTable.ts; vector.ts says when each is used). That table's width is the
 * model's, so it is (re)created when the model changes; rows are keyed by chunk id, bound as BigInt
 * (sqlite-vec rejects a JS number, which binds as REAL).
 */
export const VECTOR_LAYOUT = 'int8-v2';
export interface ModelIdentity {
  readonly id: string;
  readonly dims: number;
}

export function currentModel(db: BetterSqlite3.Database): ModelIdentity | null {
  const id = getMeta(db, 'model');
  const dims = getMeta(db, 'model_dims');
  if (id === null || dims === null || getMeta(db, 'vector_layout') !== VECTOR_LAYOUT) return null;
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
    db.exec('DELETE FROM vector_bit_blocks');
    if (model.dims % 8 !== 0) throw new Error(`vector width ${model.dims} is not a multiple of 8`);
    createExactTable(db, model.dims);
    setMeta(db, 'model', model.id);
    setMeta(db, 'model_dims', String(model.dims));
    setMeta(db, 'vector_layout', VECTOR_LAYOUT);
    // Existing chunks have no vectors now; the flag survives a crash until the backfill finishes.
    setMeta(db, 'vectors_pending', '1');
  })();
  return true;
}

/** One bit per dimension, set where the component is positive (dimension j: byte j >> 3, bit j & 7). */
export function signBits(vector: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(Math.ceil(vector.length / 8));
  for (let j = 0; j < vector.length; j++) if ((vector[j] ?? 0) > 0) out[j >> 3] = (out[j >> 3] ?? 0) | (1 << (j & 7));
  return out;
}

/** int8 with the largest component at ±127: a quarter of the floats, cosine within ~1e-3. */
export function quantize(vector: Float32Array): Buffer {
  let max = 0;
  for (const x of vector) max = Math.max(max, Math.abs(x));
  const q = new Int8Array(vector.length);
  if (max > 0) {
    const scale = 127 / max;
    for (let j = 0; j < vector.length; j++) q[j] = Math.round((vector[j] ?? 0) * scale);
  }
  return Buffer.from(q.buffer);
}

/** A stored int8 vector as a unit float vector. */
export function dequantize(bytes: Uint8Array): Float32Array {
  const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let norm = 0;
  for (const x of q) norm += x * x;
  const out = new Float32Array(q.length);
  if (norm === 0) return out;
  const inv = 1 / Math.sqrt(norm);
  for (let j = 0; j < q.length; j++) out[j] = (q[j] ?? 0) * inv;
  return out;
}

/** Cosine of a unit query to a stored int8 vector. */
export function cosineToStored(query: Float32Array, bytes: Uint8Array): number {
  const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let dot = 0;
  let norm = 0;
  for (let j = 0; j < q.length; j++) {
    const x = q[j] ?? 0;
    dot += (query[j] ?? 0) * x;
    norm += x * x;
  }
  return norm === 0 ? 0 : dot / Math.sqrt(norm);
}

export function vectorsPending(db: BetterSqlite3.Database): boolean {
  return getMeta(db, 'vectors_pending') === '1';
}

export function markVectorsPending(db: BetterSqlite3.Database): void {
  setMeta(db, 'vectors_pending', '1');
}

export function clearVectorsPending(db: BetterSqlite3.Database): void {
  deleteMeta(db, 'vectors_pending');
}
