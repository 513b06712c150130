import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * A chunk's text as stored: raw DEFLATE when that saves at least a tenth (code shrinks to ~0.43 of
 * its size, the largest part of the database otherwise), else the string itself. The column keeps
 * TEXT affinity, which leaves a BLOB a BLOB, so both kinds live in it and old indexes read as they are.
 * Packed where files are prepared (the worker threads), unpacked for the few chunks a search reads
 * (~13 µs each).
 */
const MIN_PACKED_CHARS = 200;

export function packText(text: string): string | Uint8Array {
  if (text.length < MIN_PACKED_CHARS) return text;
  const raw = Buffer.from(text, 'utf8');
  const packed = deflateRawSync(raw, { level: 1 });
  // A copy of exactly its size: zlib's result may view a larger buffer, which a worker's reply would clone whole.
  return packed.length < raw.length * 0.9 ? new Uint8Array(packed) : text;
}

/** The text of a stored value: a string as it is, a BLOB inflated. */
export function unpackText(stored: unknown): string {
  if (typeof stored === 'string') return stored;
  if (stored instanceof Uint8Array) return inflateRawSync(stored).toString('utf8');
  return String(stored ?? '');
}

/** A packed value ready to bind: better-sqlite3 binds Buffers, and a worker's reply carries Uint8Arrays. */
export function bindable(stored: string | Uint8Array): string | Buffer {
  return typeof stored === 'string' || Buffer.isBuffer(stored) ? stored : Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
}
