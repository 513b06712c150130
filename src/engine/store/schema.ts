import type BetterSqlite3 from 'better-sqlite3';
import { recountPathWords } from './pathWordCounts';
import { quantize } from './vectors';
import { nameKey } from './nameKeys';

/** 'SLN1': marks a database as Sourceline's, so a foreign SQLite file is never mistaken for an index. */
export const APPLICATION_ID = 0x534c4e31;

/** A cached float vector as int8; null for anything that is not a unit float vector (dropped: it is only re-embedded). */
function quantizeStoredFloats(blob: unknown): Buffer | null {
  if (!Buffer.isBuffer(blob) || blob.length === 0 || blob.length % 4 !== 0) return null;
  const floats = new Float32Array(Uint8Array.from(blob).buffer);
  let norm = 0;
  for (const x of floats) norm += x * x;
  return Number.isFinite(norm) && Math.abs(Math.sqrt(norm) - 1) < 0.05 ? quantize(floats) : null;
}

/**
 * Migrations, in order; `PRAGMA user_version` records how many have run. Never edit a shipped one:
 * append a new one. The vector table is not here: its width depends on the model (see vectors.ts).
 */
export const MIGRATIONS: ReadonlyArray<(db: BetterSqlite3.Database) => void> = [
  (db) => {
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE roots (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        path TEXT NOT NULL UNIQUE
      );
      CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        hash TEXT,
        language TEXT,
        status TEXT NOT NULL CHECK (status IN ('indexed', 'skipped')),
        reason TEXT,
        detail TEXT,
        indexed_at INTEGER NOT NULL,
        UNIQUE (root_id, path)
      );
      CREATE TABLE chunks (
        id INTEGER PRIMARY KEY,
        file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        start_line INTEGER NOT NULL,
        end_line INTEGER NOT NULL,
        kind TEXT NOT NULL,
        symbol TEXT NOT NULL,
        context TEXT NOT NULL,
        text TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX chunks_by_file ON chunks(file_id);
      CREATE INDEX chunks_by_hash ON chunks(hash);
      -- Identifier-aware lexical index (porter-stemmed): '_' is a token character so snake_case stays whole, and the
      -- indexed text carries each compound identifier's parts beside it (expandIdentifiers).
      CREATE VIRTUAL TABLE chunks_fts USING fts5(
        path, symbol, body,
        tokenize = "porter unicode61 remove_diacritics 2 tokenchars '_'"
      );
      CREATE TABLE embed_cache (
        model TEXT NOT NULL,
        hash TEXT NOT NULL,
        vector BLOB NOT NULL,
        used_at INTEGER NOT NULL,
        PRIMARY KEY (model, hash)
      ) WITHOUT ROWID;
    `);
  },
  (db) => {
    // Redacted secrets per file (shown in status), and an embedding cache that costs what its vectors
    // cost: a WITHOUT ROWID table of ~1 KB blobs spent about one 4 KB page per row.
    db.exec(`
      ALTER TABLE files ADD COLUMN redacted TEXT;
      CREATE TABLE embed_cache_rows (
        id INTEGER PRIMARY KEY,
        model TEXT NOT NULL,
        hash TEXT NOT NULL,
        vector BLOB NOT NULL,
        used_at INTEGER NOT NULL
      );
      INSERT INTO embed_cache_rows (model, hash, vector, used_at) SELECT model, hash, vector, used_at FROM embed_cache;
      DROP TABLE embed_cache;
      ALTER TABLE embed_cache_rows RENAME TO embed_cache;
      CREATE UNIQUE INDEX embed_cache_key ON embed_cache(model, hash);
      -- Chunks stored before redaction existed may hold secrets: every indexed file is read and chunked again.
      UPDATE files SET hash = NULL, mtime_ms = -2 WHERE status = 'indexed';
    `);
  },
  (db) => {
    db.exec(`
      -- Names each chunk defines (tree-sitter symbols and per-language definition patterns), so a query naming a
      -- symbol finds its definition by name even when neither retriever ranked it (retrieve/definitions.ts).
      CREATE TABLE definitions (
        name TEXT NOT NULL COLLATE NOCASE,
        chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
        line INTEGER NOT NULL
      );
      CREATE INDEX definitions_by_name ON definitions(name);
      CREATE INDEX definitions_by_chunk ON definitions(chunk_id);
      -- Each vector's sign bits (one per dimension) in a plain table: read whole in milliseconds into the
      -- in-memory Hamming scan of large indexes (retrieve/bitScan.ts), where vec0's own bit KNN takes ~30 ms.
      CREATE TABLE vector_bits (
        chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
        bits BLOB NOT NULL
      );
      -- Every indexed file is chunked again to fill both tables (and the symbol column of the lexical index).
      UPDATE files SET hash = NULL, mtime_ms = -2 WHERE status = 'indexed';
    `);
  },
  (db) => {
    db.exec(`
      -- The lexical index keeps no copy of its text (it was a third of the database): a candidate's
      -- columns are derived again from its chunk when needed (retrieve/lexical.ts). Rows are
      -- deleted by rowid alone (contentless_delete).
      DROP TABLE chunks_fts;
      CREATE VIRTUAL TABLE chunks_fts USING fts5(
        path, symbol, body,
        content = '', contentless_delete = 1,
        tokenize = "porter unicode61 remove_diacritics 2 tokenchars '_'"
      );
      -- Every indexed file is chunked again to fill it.
      UPDATE files SET hash = NULL, mtime_ms = -2 WHERE status = 'indexed';
    `);
  },
  (db) => {
    db.exec(`
      -- File-name words counted as files come and go, so a query reads its own words' counts
      -- (store/pathWordCounts.ts) instead of every path.
      CREATE TABLE path_words (word TEXT PRIMARY KEY, files INTEGER NOT NULL) WITHOUT ROWID;
      -- Sign bits packed 4,096 chunk ids a row (store/bitBlocks.ts): loaded in milliseconds, not a row per chunk.
      DROP TABLE vector_bits;
      CREATE TABLE vector_bit_blocks (
        block INTEGER PRIMARY KEY,
        rev INTEGER NOT NULL,
        present BLOB NOT NULL,
        bits BLOB NOT NULL
      );
      -- The cache keyed by its primary key alone (its rows are small now: no second index), its vectors int8.
      CREATE TABLE embed_cache_v2 (
        model TEXT NOT NULL,
        hash TEXT NOT NULL,
        vector BLOB NOT NULL,
        used_at INTEGER NOT NULL,
        PRIMARY KEY (model, hash)
      ) WITHOUT ROWID;
    `);
    db.function('sourceline_quantize', { deterministic: true }, quantizeStoredFloats);
    db.exec(`
      INSERT INTO embed_cache_v2 (model, hash, vector, used_at)
        SELECT model, hash, v, used_at FROM (SELECT model, hash, sourceline_quantize(vector) AS v, used_at FROM embed_cache) WHERE v IS NOT NULL;
      DROP TABLE embed_cache;
      ALTER TABLE embed_cache_v2 RENAME TO embed_cache;
    `);
    recountPathWords(db);
    // The vector table's layout changed (vectors.ts VECTOR_LAYOUT): it is recreated on the next run and
    // filled from the cache, without the model.
  },
  (db) => {
    // Tokens of each chunk's symbol and body columns, written with the chunk: scoring a very common
    // term over the candidates needs the row length without deriving the columns again
    // (retrieve/lexical.ts). Older rows keep NULL and are derived as before.
    db.exec('ALTER TABLE chunks ADD COLUMN fts_tokens INTEGER');
  },
  (db) => {
    // Only the cache's rare pruning looked chunks up by hash (a scan there costs a second a day at a
    // million chunks); the index cost 105 MiB and a random-order insert per chunk.
    db.exec('DROP INDEX IF EXISTS chunks_by_hash');
  },
  (db) => {
    // Compact cache keys (store/cacheKeys.ts): 16-byte hashes as BLOBs, models by number. A hash
    // that is not hex (none is written so) gets a random key: its chunk is embedded again if needed.
    db.exec(`
      CREATE TABLE models (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      INSERT INTO models (name) SELECT DISTINCT model FROM embed_cache ORDER BY model;
      UPDATE chunks SET hash = coalesce(unhex(substr(hash, 1, 32)), randomblob(16)) WHERE typeof(hash) = 'text';
      CREATE TABLE embed_cache_v3 (
        model INTEGER NOT NULL,
        hash BLOB NOT NULL,
        vector BLOB NOT NULL,
        used_at INTEGER NOT NULL,
        PRIMARY KEY (model, hash)
      ) WITHOUT ROWID;
      INSERT OR IGNORE INTO embed_cache_v3 (model, hash, vector, used_at)
        SELECT m.id, k, e.vector, e.used_at FROM (SELECT model, unhex(substr(hash, 1, 32)) AS k, vector, used_at FROM embed_cache) e
        JOIN models m ON m.name = e.model WHERE k IS NOT NULL ORDER BY m.id, k;
      DROP TABLE embed_cache;
      ALTER TABLE embed_cache_v3 RENAME TO embed_cache;
    `);
  },
  (db) => {
    // Definitions clustered by chunk (the chunk's delete and the lexical scoring read them so) and
    // found by a number for their name (store/nameKeys.ts), not an index of the names' text and
    // another of chunk ids beside a rowid table: 288 → ~200 MiB at 3.4M definitions.
    db.function('sourceline_name_key', { deterministic: true }, (name: unknown) => nameKey(String(name)));
    db.exec(`
      CREATE TABLE definitions_v2 (
        chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
        key INTEGER NOT NULL,
        name TEXT NOT NULL,
        line INTEGER NOT NULL,
        PRIMARY KEY (chunk_id, key)
      ) WITHOUT ROWID;
      INSERT OR IGNORE INTO definitions_v2 (chunk_id, key, name, line)
        SELECT chunk_id, sourceline_name_key(name), name, line FROM definitions ORDER BY chunk_id;
      DROP TABLE definitions;
      ALTER TABLE definitions_v2 RENAME TO definitions;
      CREATE INDEX definitions_by_key ON definitions(key);
    `);
  },
  (db) => {
    // A file's chunks (context and text) packed together in blocks (store/chunkText.ts): ~0.32 of the
    // text where one chunk packed alone was ~0.44. A chunk written so has its block and slot, and an
    // empty context and text; rows written before keep theirs and read as they are (nothing is
    // rewritten here). Ids are never reused, so a block read before a write is never mistaken for one
    // written after it.
    db.exec(`
      CREATE TABLE chunk_blocks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        body BLOB NOT NULL
      );
      CREATE INDEX chunk_blocks_by_file ON chunk_blocks(file_id);
      ALTER TABLE chunks ADD COLUMN block INTEGER;
      ALTER TABLE chunks ADD COLUMN slot INTEGER;
    `);
  },
];
