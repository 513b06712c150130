import type BetterSqlite3 from 'better-sqlite3';
import { rowOf } from '../store/rows';
import { vectorBytes } from '../store/vectors';
import type { RankedId } from './lexical';

/** K nearest chunks by cosine distance (sqlite-vec KNN: `MATCH … AND k = …` is far faster than ORDER BY a distance). */
export function vectorSearch(db: BetterSqlite3.Database, query: Float32Array, k: number): RankedId[] {
  const rows = db
    .prepare('SELECT chunk_id AS id, distance FROM chunks_vec WHERE embedding MATCH ? AND k = ? ORDER BY distance')
    .all(vectorBytes(query), k);
  return rows.map((raw) => {
    const r = rowOf(raw);
    return { chunkId: Number(r['id']), raw: Number(r['distance']) };
  });
}
