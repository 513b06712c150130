import type BetterSqlite3 from 'better-sqlite3';
import { rowOf } from '../store/rows';
import { cosineToStored, dequantize, quantize } from '../store/vectors';
import type { RankedId } from './lexical';
import { hammingNearest, vectorCount } from './bitScan';
import { statement } from '../store/statements';
import { modelKey } from '../store/cacheKeys';
import { EXACT_SEARCH_MAX_CHUNKS, exactTableMirrors } from '../store/exactTable';

/*
 * Up to EXACT_SEARCH_MAX_CHUNKS vectors, sqlite-vec scans the int8 vectors exactly (~20 ms at 40k
 * on 2 cores). Above it, a Hamming scan over the sign bits finds candidates (in memory, ~2 ms at
 * 100k: bitScan.ts) that are rescored by cosine.
 * Sign bits approximate angles well for dense embeddings, poorly for sparse ones: hence exact when
 * the index is small enough to afford it (and sqlite-vec's table holds vectors only then: store/exactTable.ts).
 */
/**
 * Candidates per wanted result for the approximate path. Query–code similarities are modest
 * (cosine 0.3–0.5), where a few hundred sign bits put true neighbours several bits away:
 * oversampling buys that recall back (bench/results/engine.json reports it against exact search).
 */
const OVERSAMPLE = 4;
const MIN_CANDIDATES = 200;

export interface VectorSearchOptions {
  /** Overrides EXACT_SEARCH_MAX_CHUNKS (tests exercise both paths on small indexes). */
  readonly exactMaxChunks?: number;
}

/** K nearest chunks by cosine distance (lower `raw` is nearer). */
export function vectorSearch(db: BetterSqlite3.Database, modelId: string, query: Float32Array, k: number, options: VectorSearchOptions = {}): RankedId[] {
  if (vectorCount(db, query.length) <= (options.exactMaxChunks ?? EXACT_SEARCH_MAX_CHUNKS)) {
    if (!exactTableMirrors(db)) return scanCache(db, modelId, query, k);
    // sqlite-vec KNN: `MATCH … AND k = …` is far faster than ORDER BY a distance function.
    return statement(db, 'SELECT chunk_id, distance FROM chunks_vec WHERE embedding MATCH vec_int8(?) AND k = ? ORDER BY distance')
      .all(quantize(query), k)
      .map((raw) => {
        const r = rowOf(raw);
        return { chunkId: Number(r['chunk_id']), raw: Number(r['distance']) };
      });
  }
  const want = Math.max(MIN_CANDIDATES, k * OVERSAMPLE);
  const candidates = hammingNearest(db, query, want);
  if (candidates.length === 0) return [];
  const cosines = cosinesOf(db, modelId, query, candidates);
  return [...cosines].map(([chunkId, cos]) => ({ chunkId, raw: 1 - cos })).sort((a, b) => a.raw - b.raw).slice(0, k);
}

/**
 * Exact search without sqlite-vec's table (an index that outgrew it, or one shrunk back before the
 * table is refilled): every cached vector of a live chunk, compared as sqlite-vec compares them
 * (the int8 query against the int8 vectors).
 */
function scanCache(db: BetterSqlite3.Database, modelId: string, query: Float32Array, k: number): RankedId[] {
  const q = dequantize(quantize(query));
  const best: RankedId[] = [];
  const model = modelKey(db, modelId);
  if (model === null) return best;
  const rows = statement(db, 'SELECT c.id, e.vector FROM chunks c CROSS JOIN embed_cache e WHERE e.model = ? AND e.hash = c.hash').raw();
  for (const row of rows.iterate(model)) {
    if (!Array.isArray(row) || !Buffer.isBuffer(row[1])) continue;
    const raw = 1 - cosineToStored(q, row[1]);
    if (best.length === k && raw >= (best[k - 1]?.raw ?? Infinity)) continue;
    best.push({ chunkId: Number(row[0]), raw });
    best.sort((a, b) => a.raw - b.raw);
    if (best.length > k) best.pop();
  }
  return best;
}

/** Cosine similarity of the query to each of these chunks (those with a vector), from their stored int8 vectors. */
export function cosinesOf(db: BetterSqlite3.Database, modelId: string, query: Float32Array, ids: readonly number[]): Map<number, number> {
  const model = modelKey(db, modelId);
  if (ids.length === 0 || model === null) return new Map();
  // From the embedding cache (a B-tree lookup each), not vec0 point lookups (~10x slower).
  // CROSS JOIN pins the loop order (candidates outside, cache lookups inside); with a plain JOIN
  // the planner may scan the whole cache (~850 ms at 100k chunks instead of ~1 ms).
  const rows = statement(db, `SELECT c.id, e.vector FROM json_each(?) j CROSS JOIN chunks c CROSS JOIN embed_cache e
              WHERE c.id = j.value AND e.model = ? AND e.hash = c.hash`).all(JSON.stringify(ids), model);
  const out = new Map<number, number>();
  for (const raw of rows) {
    const r = rowOf(raw);
    const bytes = r['vector'];
    if (Buffer.isBuffer(bytes)) out.set(Number(r['id']), cosineToStored(query, bytes));
  }
  return out;
}
