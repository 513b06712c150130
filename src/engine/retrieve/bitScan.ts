import type BetterSqlite3 from 'better-sqlite3';
import { rowOf } from '../store/rows';
import { perIndexState } from '../store/indexState';
import { signBits } from '../store/vectors';

/**
 * Every vector's sign bits in memory (32 bytes a chunk for 256 dimensions: 3 MB at 100k chunks),
 * scanned by Hamming distance in ~2 ms at 100k where sqlite-vec's bit KNN takes ~30 ms. Loaded
 * from the `vector_bits` table when first needed and again whenever the index has changed (a few
 * tens of milliseconds at 100k), so it is never stale.
 */
interface Loaded {
  /** False while most chunks have no bits yet (an index written before the table, a model change mid-backfill). */
  readonly covered: boolean;
  readonly ids: Int32Array;
  readonly words: Uint32Array;
  readonly wordsPerVector: number;
}

/** The table as read at this index state, for the query's width (a model change alters it). */
const load = perIndexState((db, dims: number): Loaded => {
  const bytesPerVector = dims / 8;
  const wordsPerVector = Math.ceil(bytesPerVector / 4);
  const rows = db.prepare('SELECT chunk_id, bits FROM vector_bits').raw().all();
  const ids = new Int32Array(rows.length);
  const bytes = new Uint8Array(rows.length * wordsPerVector * 4);
  let n = 0;
  for (const raw of rows) {
    if (!Array.isArray(raw)) continue;
    const [id, bits] = raw;
    // A row of another width (written before a model change finished) is not comparable: left out.
    if (!Buffer.isBuffer(bits) || bits.length !== bytesPerVector) continue;
    ids[n] = Number(id);
    bytes.set(bits, n * wordsPerVector * 4);
    n++;
  }
  const chunks = Number(rowOf(db.prepare('SELECT count(*) AS n FROM chunks').get())['n']);
  return { covered: n > 0 && n >= chunks * 0.9, ids: ids.subarray(0, n), words: new Uint32Array(bytes.buffer, 0, n * wordsPerVector), wordsPerVector };
});

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/**
 * The ids of the `k` chunks nearest the query by Hamming distance of sign bits (ties at the cut-off
 * broken by chunk id); null when the in-memory bits do not cover the index, so the caller uses
 * sqlite-vec's own scan.
 */
export function hammingNearest(db: BetterSqlite3.Database, query: Float32Array, k: number): number[] | null {
  const index = load(db, query.length);
  if (!index.covered) return null;
  const qBytes = signBits(query);
  const q = new Uint32Array(index.wordsPerVector);
  new Uint8Array(q.buffer).set(qBytes);
  const n = index.ids.length;
  const w = index.wordsPerVector;
  const distance = new Uint16Array(n);
  const histogram = new Uint32Array(w * 32 + 1);
  for (let i = 0; i < n; i++) {
    let d = 0;
    const o = i * w;
    for (let j = 0; j < w; j++) d += popcount((index.words[o + j] ?? 0) ^ (q[j] ?? 0));
    distance[i] = d;
    histogram[d] = (histogram[d] ?? 0) + 1;
  }
  let cut = 0;
  for (let seen = 0; cut < histogram.length; cut++) {
    seen += histogram[cut] ?? 0;
    if (seen >= k) break;
  }
  const out: number[] = [];
  const atCut: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = distance[i] ?? Infinity;
    if (d < cut) out.push(index.ids[i] ?? 0);
    else if (d === cut) atCut.push(index.ids[i] ?? 0);
  }
  return [...out, ...atCut.sort((a, b) => a - b).slice(0, Math.max(0, k - out.length))];
}
