import type BetterSqlite3 from 'better-sqlite3';
import { deleteMeta, setMeta } from './meta';
import { statement } from './statements';
import { storedVectorCount } from './bitBlocks';
import { modelKey } from './cacheKeys';

/**
 * sqlite-vec's table (`chunks_vec`) serves exact KNN, which only small indexes use
 * (retrieve/vector.ts EXACT_SEARCH_MAX_CHUNKS); larger ones scan sign bits and rescore from the
 * embedding cache. So the table mirrors every vector only while the index is small: past
 * EXACT_TABLE_MAX_CHUNKS vectors it is emptied and no longer written (at a million chunks it was
 * a second copy of every vector, 355 MiB, and a write per chunk); once the index is back at
 * EXACT_SEARCH_MAX_CHUNKS or fewer it is filled again from the cache. The gap between the two
 * keeps an index near the line from emptying and refilling on every save.
 */
export const EXACT_SEARCH_MAX_CHUNKS = 40_000;
export const EXACT_TABLE_MAX_CHUNKS = 60_000;

const OFF_KEY = 'exact_table_off';

/** Whether `chunks_vec` holds every vector (absent flag: indexes written before the flag existed did). */
export function exactTableMirrors(db: BetterSqlite3.Database): boolean {
  return statement(db, 'SELECT 1 FROM meta WHERE key = ?').pluck().get(OFF_KEY) === undefined;
}

/** An empty vector table of this width, mirroring again (a model change, or a refill about to run). */
export function createExactTable(db: BetterSqlite3.Database, dims: number): void {
  db.exec('DROP TABLE IF EXISTS chunks_vec');
  db.exec(`CREATE VIRTUAL TABLE chunks_vec USING vec0(chunk_id INTEGER PRIMARY KEY, embedding int8[${dims}] distance_metric=cosine)`);
  deleteMeta(db, OFF_KEY);
}

/**
 * Run inside a write transaction after vectors were added: empties the table (kept, so its width
 * stays recorded) once the index has outgrown exact search. Returns true when it did.
 */
export function retireExactTableIfLarge(db: BetterSqlite3.Database, dims: number): boolean {
  if (!exactTableMirrors(db) || storedVectorCount(db) <= EXACT_TABLE_MAX_CHUNKS) return false;
  createExactTable(db, dims);
  setMeta(db, OFF_KEY, '1');
  return true;
}

/**
 * After an indexing run: refills the table from the cache when the index has shrunk back to exact
 * search's size. Returns true when it did.
 */
export function restoreExactTableIfSmall(db: BetterSqlite3.Database, modelId: string, dims: number): boolean {
  if (exactTableMirrors(db) || storedVectorCount(db) > EXACT_SEARCH_MAX_CHUNKS) return false;
  const model = modelKey(db, modelId) ?? -1;
  db.transaction(() => {
    createExactTable(db, dims);
    db.prepare(`INSERT INTO chunks_vec (chunk_id, embedding)
      SELECT c.id, vec_int8(e.vector) FROM chunks c CROSS JOIN embed_cache e WHERE e.model = ? AND e.hash = c.hash`).run(model);
  })();
  return true;
}
