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

/*
 * A chunk's context header starts with its file's path (chunk/segments.ts), which the files table
 * already holds: at a million chunks the repeated paths were ~55 MB. Stored as SOH + the rest after
 * the path; a context that does not start with its path is stored as it is (STX first when it
 * would begin with either marker). Rows written before this read as they are: nothing starts with SOH
 * or STX but a packed context.
 */
const PATH_ELIDED = '\u0001';
const VERBATIM = '\u0002';

export function packContext(relPath: string, context: string): string {
  if (context.startsWith(relPath)) return PATH_ELIDED + context.slice(relPath.length);
  return context.startsWith(PATH_ELIDED) || context.startsWith(VERBATIM) ? VERBATIM + context : context;
}

export function unpackContext(relPath: string, stored: unknown): string {
  const value = String(stored ?? '');
  if (value.startsWith(PATH_ELIDED)) return relPath + value.slice(1);
  return value.startsWith(VERBATIM) ? value.slice(1) : value;
}
