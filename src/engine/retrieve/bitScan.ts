import type BetterSqlite3 from 'better-sqlite3';
import { perIndexState } from '../store/indexState';
import { blockRevisions, popcount, readBlock, type BitBlock } from '../store/bitBlocks';
import { signBits } from '../store/vectors';
import { SimdHamming, simdWidth } from './simdHamming';

/**
 * Every vector's sign bits in memory (32 bytes a chunk for 256 dimensions: 3 MB at 100k chunks),
 * scanned by Hamming distance in ~2 ms at 100k where sqlite-vec's bit KNN takes ~30 ms. Read from
 * the packed blocks of store/bitBlocks.ts; when the index changes only the blocks whose revision
 * moved are read again, so a save costs a block or two, not the whole table.
 */
interface Loaded {
  readonly blocks: readonly BitBlock[];
  /** Vectors present (of the query's width). */
  readonly count: number;
  /** Their chunk ids end to end, in block order: the order both scans give distances in. */
  readonly ids: Int32Array;
  /** The same vectors laid out for the SIMD kernel, when it runs here and takes this width. */
  readonly simd: SimdHamming | null;
}

const held = new WeakMap<BetterSqlite3.Database, Map<number, BitBlock>>();
/** One kernel (and its memory) per open index, laid out again when the index changes. */
const kernels = new WeakMap<BetterSqlite3.Database, SimdHamming | null>();

function kernelFor(db: BetterSqlite3.Database): SimdHamming | null {
  if (!kernels.has(db)) kernels.set(db, SimdHamming.create());
  return kernels.get(db) ?? null;
}

const load = perIndexState((db, bytesPerVector: number): Loaded => {
  const previous = held.get(db) ?? new Map<number, BitBlock>();
  const next = new Map<number, BitBlock>();
  for (const [block, rev] of blockRevisions(db)) {
    const kept = previous.get(block);
    const current = kept !== undefined && kept.rev === rev ? kept : readBlock(db, block);
    if (current !== null) next.set(block, current);
  }
  held.set(db, next);
  // A block of another width (written before a model change finished) is not comparable: left out.
  const blocks = [...next.values()].filter((b) => b.ids.length > 0 && b.bits.length === b.ids.length * bytesPerVector).sort((a, b) => a.block - b.block);
  const count = blocks.reduce((n, b) => n + b.ids.length, 0);
  const ids = new Int32Array(count);
  let at = 0;
  for (const b of blocks) {
    ids.set(b.ids, at);
    at += b.ids.length;
  }
  const simd = simdWidth(bytesPerVector) ? kernelFor(db) : null;
  simd?.load(blocks.map((b) => b.bits), bytesPerVector);
  return { blocks, count, ids, simd };
});

/** How many vectors of this width the scan holds (the vector side's size, without a count(*) of chunks). */
export function vectorCount(db: BetterSqlite3.Database, dims: number): number {
  return load(db, dims / 8).count;
}

/** The ids of the `k` chunks nearest the query by Hamming distance of sign bits (ties at the cut-off broken by chunk id). */
export function hammingNearest(db: BetterSqlite3.Database, query: Float32Array, k: number): number[] {
  const bytesPerVector = query.length / 8;
  const index = load(db, bytesPerVector);
  if (index.simd !== null) {
    const { distance, histogram } = index.simd.distances(signBits(query));
    return nearestByDistance(index.ids, distance, cutOff(histogram, k), k);
  }
  const w = Math.ceil(bytesPerVector / 4);
  const q = new Uint32Array(w);
  new Uint8Array(q.buffer).set(signBits(query));
  const distance = new Uint16Array(index.count);
  const histogram = new Uint32Array(w * 32 + 1);
  const word = new Uint32Array(w);
  const wordBytes = new Uint8Array(word.buffer);
  let i = 0;
  for (const block of index.blocks) {
    const aligned = bytesPerVector % 4 === 0 && block.bits.byteOffset % 4 === 0;
    const words = aligned ? new Uint32Array(block.bits.buffer, block.bits.byteOffset, block.ids.length * w) : null;
    for (let v = 0; v < block.ids.length; v++, i++) {
      let d = 0;
      if (words !== null) {
        const o = v * w;
        for (let j = 0; j < w; j++) d += popcount((words[o + j] ?? 0) ^ (q[j] ?? 0));
      } else {
        wordBytes.fill(0);
        wordBytes.set(block.bits.subarray(v * bytesPerVector, (v + 1) * bytesPerVector));
        for (let j = 0; j < w; j++) d += popcount((word[j] ?? 0) ^ (q[j] ?? 0));
      }
      distance[i] = d;
      histogram[d] = (histogram[d] ?? 0) + 1;
    }
  }
  return nearestByDistance(index.ids, distance, cutOff(histogram, k), k);
}

/** The smallest distance at which `k` vectors are reached. */
function cutOff(histogram: Uint32Array, k: number): number {
  let cut = 0;
  for (let seen = 0; cut < histogram.length; cut++) {
    seen += histogram[cut] ?? 0;
    if (seen >= k) break;
  }
  return cut;
}

/** Every id nearer than the cut-off, then those at it in id order until `k`. */
function nearestByDistance(ids: Int32Array, distance: Uint16Array, cut: number, k: number): number[] {
  const out: number[] = [];
  const atCut: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const d = distance[i] ?? Infinity;
    if (d < cut) out.push(ids[i] ?? 0);
    else if (d === cut) atCut.push(ids[i] ?? 0);
  }
  // Blocks are in id order, so atCut is already ascending.
  return [...out, ...atCut.slice(0, Math.max(0, k - out.length))];
}
