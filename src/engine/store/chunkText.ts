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

/*
 * A file's chunks are stored together, 4 KB or more of consecutive chunks a block: context header
 * and text of each, packed as one. One small chunk packed alone shrinks to ~0.44 of its size, a
 * block to ~0.32 (DEFLATE finds the file's repeated names, scopes and signatures across its
 * chunks); at a million chunks that was ~170 MiB. Larger blocks pack a little better but cost
 * more to inflate for each chunk read. A block reads as its entries' lengths on the first
 * line, then the entries: each chunk's context (packContext: its path elided) and text. Inflating a
 * block costs a few tens of µs, little more than one chunk alone. Rows written before blocks existed
 * keep context and text in the chunk row and read as they are.
 */
export const BLOCK_CHARS = 4096;

/** Where a chunk is: block `block` of its file's blocks (in order), the `slot`-th chunk in it. */
export interface TextSlot {
  readonly block: number;
  readonly slot: number;
}

export interface PackedChunks {
  /** Each block packed (packText). */
  readonly blocks: ReadonlyArray<string | Uint8Array>;
  /** One per chunk, in the order given. */
  readonly slots: readonly TextSlot[];
}

/** Consecutive chunks of a file grouped into blocks of at least BLOCK_CHARS (the last may be smaller), each packed. */
export function packChunks(relPath: string, chunks: ReadonlyArray<{ readonly context: string; readonly text: string }>): PackedChunks {
  const blocks: Array<string | Uint8Array> = [];
  const slots: TextSlot[] = [];
  let entries: string[] = [];
  let chars = 0;
  const close = (): void => {
    if (entries.length === 0) return;
    blocks.push(packText(`${entries.map((t) => t.length).join(',')}\n${entries.join('')}`));
    entries = [];
    chars = 0;
  };
  for (const chunk of chunks) {
    slots.push({ block: blocks.length, slot: entries.length / 2 });
    const context = packContext(relPath, chunk.context);
    entries.push(context, chunk.text);
    chars += context.length + chunk.text.length;
    if (chars >= BLOCK_CHARS) close();
  }
  close();
  return { blocks, slots };
}

/** A block's entries, from its stored value. A value that is not a block reads as no entries, never as wrong ones. */
export function unpackBlock(stored: unknown): string[] {
  const block = unpackText(stored);
  const newline = block.indexOf('\n');
  if (newline < 0) return [];
  const entries: string[] = [];
  let at = newline + 1;
  for (const length of block.slice(0, newline).split(',')) {
    const n = Number(length);
    if (!Number.isInteger(n) || n < 0 || at + n > block.length) return [];
    entries.push(block.slice(at, at + n));
    at += n;
  }
  return entries;
}

/**
 * SQL for a chunk's context and text from `chunks c`: the columns to select and the join that brings
 * its block. `ChunkBodies.of` reads a row selected so.
 */
export const CHUNK_BODY_COLUMNS = 'c.context, c.text, c.block, c.slot, b.body AS block_body';
export const CHUNK_BODY_JOIN = 'LEFT JOIN chunk_blocks b ON b.id = c.block';

export interface ChunkBody {
  readonly context: string;
  readonly text: string;
}

/** Reads context and text of chunks selected with CHUNK_BODY_COLUMNS, inflating each block once. */
export class ChunkBodies {
  private readonly blocks = new Map<number, string[]>();

  of(row: Readonly<Record<string, unknown>>, relPath: string): ChunkBody {
    const block = row['block'];
    if (typeof block !== 'number') return { context: unpackContext(relPath, row['context']), text: unpackText(row['text']) };
    let entries = this.blocks.get(block);
    if (entries === undefined) {
      entries = unpackBlock(row['block_body']);
      this.blocks.set(block, entries);
    }
    const slot = Number(row['slot']);
    return { context: unpackContext(relPath, entries[2 * slot] ?? ''), text: entries[2 * slot + 1] ?? '' };
  }
}
