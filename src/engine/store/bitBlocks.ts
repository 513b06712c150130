import type BetterSqlite3 from 'better-sqlite3';
import { rowOf } from './rows';

/**
 * Each vector's sign bits, packed by chunk id: block `b` holds ids b·4096 … b·4096+4095, a presence
 * bitmap and 4096 slots of bits. A process loads the whole table as a few hundred blobs (tens of
 * milliseconds at a million chunks) instead of a row per chunk (seconds, mostly allocation), and a
 * reader whose index changed reloads only the blocks whose `rev` moved (a save touches one or two).
 */
export const BLOCK_IDS = 4096;
const PRESENCE_BYTES = BLOCK_IDS / 8;

export interface BitBlock {
  readonly block: number;
  readonly rev: number;
  /** Chunk ids present in the block, ascending. */
  readonly ids: Int32Array;
  /** Their bits, `bytesPerVector` each, in the order of `ids`. */
  readonly bits: Uint8Array;
}

/** Bit changes gathered during one transaction and written at its end, one row per block touched. */
export class BitBlockChanges {
  private readonly pending = new Map<number, Map<number, Uint8Array | null>>();

  set(chunkId: number, bits: Uint8Array): void {
    this.slotsOf(chunkId).set(chunkId % BLOCK_IDS, bits);
  }

  clear(chunkId: number): void {
    this.slotsOf(chunkId).set(chunkId % BLOCK_IDS, null);
  }

  /** Forgets what was gathered (its transaction rolled back). */
  discard(): void {
    this.pending.clear();
  }

  /** Writes every touched block (read, changed, written back; deleted once empty). */
  apply(db: BetterSqlite3.Database): void {
    if (this.pending.size === 0) return;
    const read = db.prepare('SELECT present, bits FROM vector_bit_blocks WHERE block = ?');
    const write = db.prepare(`INSERT INTO vector_bit_blocks (block, rev, present, bits) VALUES (?, 1, ?, ?)
      ON CONFLICT (block) DO UPDATE SET rev = rev + 1, present = excluded.present, bits = excluded.bits`);
    const remove = db.prepare('DELETE FROM vector_bit_blocks WHERE block = ?');
    for (const [block, slots] of this.pending) {
      const row = read.get(block);
      const old = row === undefined ? null : rowOf(row);
      const width = widthOf(slots, old);
      if (width === null) continue;
      const present = Buffer.alloc(PRESENCE_BYTES);
      const bits = Buffer.alloc(BLOCK_IDS * width);
      if (old !== null && Buffer.isBuffer(old['present']) && Buffer.isBuffer(old['bits']) && old['bits'].length === bits.length) {
        old['present'].copy(present);
        old['bits'].copy(bits);
      }
      for (const [slot, value] of slots) {
        const mask = 1 << (slot & 7);
        if (value === null || value.length !== width) {
          present[slot >> 3] = (present[slot >> 3] ?? 0) & ~mask;
          bits.fill(0, slot * width, (slot + 1) * width);
        } else {
          present[slot >> 3] = (present[slot >> 3] ?? 0) | mask;
          bits.set(value, slot * width);
        }
      }
      if (countBits(present) === 0) remove.run(block);
      else write.run(block, present, bits);
    }
    this.pending.clear();
  }

  private slotsOf(chunkId: number): Map<number, Uint8Array | null> {
    const block = Math.floor(chunkId / BLOCK_IDS);
    let slots = this.pending.get(block);
    if (slots === undefined) {
      slots = new Map();
      this.pending.set(block, slots);
    }
    return slots;
  }
}

/** Bytes per vector in this block: from a new value, else from the stored block; null if neither says. */
function widthOf(slots: ReadonlyMap<number, Uint8Array | null>, old: Record<string, unknown> | null): number | null {
  for (const value of slots.values()) if (value !== null) return value.length;
  const stored = old?.['bits'];
  return Buffer.isBuffer(stored) ? stored.length / BLOCK_IDS : null;
}

/** Set bits of a 32-bit word (SWAR). */
export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

function countBits(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) n += popcount(b);
  return n;
}

/** Every block's number and revision: what a reader compares with what it holds. */
export function blockRevisions(db: BetterSqlite3.Database): Map<number, number> {
  const out = new Map<number, number>();
  for (const raw of db.prepare('SELECT block, rev FROM vector_bit_blocks').raw().all()) {
    if (Array.isArray(raw)) out.set(Number(raw[0]), Number(raw[1]));
  }
  return out;
}

/** One block, unpacked to its present ids and their bits (runs of present slots copied at once). */
export function readBlock(db: BetterSqlite3.Database, block: number): BitBlock | null {
  const row = db.prepare('SELECT rev, present, bits FROM vector_bit_blocks WHERE block = ?').get(block);
  if (row === undefined) return null;
  const r = rowOf(row);
  const present = r['present'];
  const bits = r['bits'];
  if (!Buffer.isBuffer(present) || !Buffer.isBuffer(bits)) return null;
  const width = bits.length / BLOCK_IDS;
  const live = countBits(present);
  const ids = new Int32Array(live);
  const packed = new Uint8Array(live * width);
  let n = 0;
  let runStart = -1;
  const flush = (end: number): void => {
    if (runStart < 0) return;
    packed.set(bits.subarray(runStart * width, end * width), n * width);
    for (let slot = runStart; slot < end; slot++) ids[n++] = block * BLOCK_IDS + slot;
    runStart = -1;
  };
  for (let slot = 0; slot < BLOCK_IDS; slot++) {
    const on = slotPresent(present, slot);
    if (on && runStart < 0) runStart = slot;
    else if (!on) flush(slot);
  }
  flush(BLOCK_IDS);
  return { block, rev: Number(r['rev']), ids, bits: packed };
}

/** Every chunk's bits (tests and migrations; a search uses the blocks as they are). */
export function allBits(db: BetterSqlite3.Database): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  for (const block of blockRevisions(db).keys()) {
    const b = readBlock(db, block);
    if (b === null) continue;
    const width = b.ids.length === 0 ? 0 : b.bits.length / b.ids.length;
    b.ids.forEach((id, i) => out.set(id, Buffer.from(b.bits.subarray(i * width, (i + 1) * width))));
  }
  return out;
}

function slotPresent(present: Uint8Array, slot: number): boolean {
  return ((present[slot >> 3] ?? 0) & (1 << (slot & 7))) !== 0;
}

/** Every block's presence bitmap (a few hundred 512-byte blobs at a million chunks). */
function presenceBitmaps(db: BetterSqlite3.Database): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  for (const raw of db.prepare('SELECT block, present FROM vector_bit_blocks').raw().all()) {
    if (Array.isArray(raw) && Buffer.isBuffer(raw[1])) out.set(Number(raw[0]), raw[1]);
  }
  return out;
}

/** How many chunks have a vector. */
export function storedVectorCount(db: BetterSqlite3.Database): number {
  let n = 0;
  for (const present of presenceBitmaps(db).values()) n += countBits(present);
  return n;
}

/** Whether a chunk id has a vector, by the presence bitmaps as they are now. */
export function vectorPresence(db: BetterSqlite3.Database): (chunkId: number) => boolean {
  const blocks = presenceBitmaps(db);
  return (chunkId) => {
    const present = blocks.get(Math.floor(chunkId / BLOCK_IDS));
    return present !== undefined && slotPresent(present, chunkId % BLOCK_IDS);
  };
}
