import type BetterSqlite3 from 'better-sqlite3';
import { rowOf } from '../store/rows';

export interface RankedId {
  readonly chunkId: number;
  /** Lower is better for both retrievers (BM25 rank, cosine distance). */
  readonly raw: number;
}

/** Column weights for bm25(): a match in the symbol name says more than one in the path, more than the body. */
const WEIGHTS = { path: 2.0, symbol: 4.0, body: 1.0 };

export function lexicalSearch(db: BetterSqlite3.Database, match: string, limit: number): RankedId[] {
  const rows = db
    .prepare(`SELECT rowid AS id, bm25(chunks_fts, ${WEIGHTS.path}, ${WEIGHTS.symbol}, ${WEIGHTS.body}) AS score
              FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY score LIMIT ?`)
    .all(match, limit);
  return rows.map((raw) => {
    const r = rowOf(raw);
    return { chunkId: Number(r['id']), raw: Number(r['score']) };
  });
}
