import type BetterSqlite3 from 'better-sqlite3';
import type { Chunk, LanguageId, Root, SkippedFile } from '../types';
import type { ChunkTerms } from '../text/ftsTerms';
import { BitBlockChanges, vectorPresence } from './bitBlocks';
import { exactTableMirrors, restoreExactTableIfSmall, retireExactTableIfLarge } from './exactTable';
import { bindable, CHUNK_BODY_COLUMNS, CHUNK_BODY_JOIN, ChunkBodies, type TextSlot } from './chunkText';
import { nameKey } from './nameKeys';
import { getMeta, setMeta } from './meta';
import { BULK_WRITE_CACHE_KIB, openIndexDatabase } from './openDatabase';
import { ensureModelKey, hashKey, hashOfRow } from './cacheKeys';
import { PathWordChanges } from './pathWordCounts';
import { rowOf } from './rows';
import { dequantize, ensureVectorTable, quantize, signBits, type ModelIdentity } from './vectors';

export interface FileState {
  readonly id: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly hash: string | null;
  readonly status: 'indexed' | 'skipped';
  readonly reason: string | null;
}

/** A chunk as stored; its terms are derived before (indexing/prepareFile.ts), off the writer's thread. */
export interface ChunkWrite extends ChunkTerms {
  readonly chunk: Chunk;
  /** Where its context and text are among its file's `textBlocks` (store/chunkText.ts). */
  readonly textSlot: TextSlot;
  readonly hash: string;
  /** Null when the model failed: the chunk is searchable lexically and gets its vector later. */
  readonly vector: Float32Array | null;
}

export interface IndexedFileMeta {
  readonly relPath: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly hash: string;
  readonly language: LanguageId | null;
  /** The secrets replaced in its text (`line 3: github-token; …`), null when none were. */
  readonly redacted: string | null;
  /** The FTS `path` column of its chunks. */
  readonly pathTerms: string;
  /** Its chunks' contexts and texts, packed in blocks where the file was prepared (store/chunkText.ts packChunks). */
  readonly textBlocks: ReadonlyArray<string | Uint8Array>;
}

export type FileWrite =
  | { readonly type: 'indexed'; readonly rootId: number; readonly file: IndexedFileMeta; readonly chunks: readonly ChunkWrite[] }
  | { readonly type: 'skipped'; readonly rootId: number; readonly file: SkippedFile; readonly hash: string | null }
  | { readonly type: 'touched'; readonly fileId: number; readonly size: number; readonly mtimeMs: number }
  | { readonly type: 'deleted'; readonly fileId: number };

export interface ChunkNeedingVector {
  readonly id: number;
  readonly hash: string;
  readonly embedText: string;
}

/** The text an embedder sees for a chunk: its context header, then its lines. */
export function embedTextOf(chunk: Pick<Chunk, 'context' | 'text'>): string {
  return `${chunk.context}\n${chunk.text}`;
}

/**
 * Owns the index database: one writer per process. Every batch of file changes is one transaction,
 * so a crash (even kill -9) leaves a consistent index in which each file is either fully old or
 * fully new; the next run sees the stale ones by hash and redoes them.
 */
export class IndexStore {
  private readonly stmt;
  /** Statements on the vector table, prepared once it exists (it is created per model). */
  private vecStmt: { delete: BetterSqlite3.Statement; insert: BetterSqlite3.Statement } | null = null;
  /** Written at the end of each transaction (store/bitBlocks.ts, store/pathWordCounts.ts). */
  private readonly bitChanges = new BitBlockChanges();
  private readonly pathChanges = new PathWordChanges();
  /**
   * Lexical-index rows removed and added in this transaction, written together at its end: FTS5
   * flushes its pending terms at every other statement in between (its savepoint hook), which
   * made each chunk a tiny segment to merge (8× slower chunk writes, measured).
   */
  private ftsDeletes: number[] = [];
  private ftsInserts: Array<[number, string, string, string]> = [];
  /** Whether sqlite-vec's table mirrors the vectors (store/exactTable.ts), read at each transaction's start. */
  private mirrorsExact = true;
  /** The width of the vectors written in this transaction, 0 when none were. */
  private dimsWritten = 0;

  private constructor(
    readonly db: BetterSqlite3.Database,
    readonly file: string,
    readonly notice: string | null,
  ) {
    this.stmt = {
      rootByPath: db.prepare('SELECT id FROM roots WHERE path = ?').pluck(),
      insertRoot: db.prepare('INSERT INTO roots (name, path) VALUES (?, ?)'),
      rootNames: db.prepare('SELECT name FROM roots').pluck(),
      fileStates: db.prepare('SELECT id, path, size, mtime_ms, hash, status, reason FROM files WHERE root_id = ?'),
      fileStatesUnder: db.prepare(`SELECT id, path, size, mtime_ms, hash, status, reason FROM files
        WHERE root_id = ? AND (path = ? OR (path >= ? AND path < ?))`),
      upsertFile: db.prepare(`
        INSERT INTO files (root_id, path, size, mtime_ms, hash, language, status, reason, detail, redacted, indexed_at)
        VALUES (@rootId, @path, @size, @mtimeMs, @hash, @language, @status, @reason, @detail, @redacted, @now)
        ON CONFLICT (root_id, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
          hash = excluded.hash, language = excluded.language, status = excluded.status,
          reason = excluded.reason, detail = excluded.detail, redacted = excluded.redacted, indexed_at = excluded.indexed_at
        RETURNING id`).pluck(),
      statusByPath: db.prepare('SELECT status FROM files WHERE root_id = ? AND path = ?').pluck(),
      fileById: db.prepare('SELECT path, status FROM files WHERE id = ?'),
      touchFile: db.prepare('UPDATE files SET size = ?, mtime_ms = ? WHERE id = ?'),
      deleteFile: db.prepare('DELETE FROM files WHERE id = ?'),
      chunkIdsOfFile: db.prepare('SELECT id FROM chunks WHERE file_id = ?').pluck(),
      deleteChunksOfFile: db.prepare('DELETE FROM chunks WHERE file_id = ?'),
      deleteFts: db.prepare('DELETE FROM chunks_fts WHERE rowid = ?'),
      insertChunk: db.prepare(`
        INSERT INTO chunks (file_id, start_line, end_line, kind, symbol, context, text, hash, fts_tokens, block, slot)
        VALUES (?, ?, ?, ?, ?, '', '', ?, ?, ?, ?) RETURNING id`).pluck(),
      insertBlock: db.prepare('INSERT INTO chunk_blocks (file_id, body) VALUES (?, ?) RETURNING id').pluck(),
      deleteBlocksOfFile: db.prepare('DELETE FROM chunk_blocks WHERE file_id = ?'),
      insertFts: db.prepare('INSERT INTO chunks_fts (rowid, path, symbol, body) VALUES (?, ?, ?, ?)'),
      insertDefinition: db.prepare('INSERT OR IGNORE INTO definitions (chunk_id, key, name, line) VALUES (?, ?, ?, ?)'),
      cacheGet: db.prepare('SELECT vector FROM embed_cache WHERE model = (SELECT id FROM models WHERE name = ?) AND hash = ?').pluck(),
      cachePut: db.prepare(`INSERT INTO embed_cache (model, hash, vector, used_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (model, hash) DO UPDATE SET used_at = excluded.used_at`),
    };
  }

  static open(file: string, options: { quickCheck: boolean }): IndexStore {
    const { db, notice } = openIndexDatabase(file, { quickCheck: options.quickCheck });
    return new IndexStore(db, file, notice);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Root ids are stable; a root's display name is its folder name, made unique within the index. */
  ensureRoot(root: Root): number {
    const existing = this.stmt.rootByPath.get(root.path);
    if (typeof existing === 'number') return existing;
    const taken = new Set(this.stmt.rootNames.all().map(String));
    let name = root.name;
    for (let i = 2; taken.has(name); i++) name = `${root.name}-${i}`;
    return Number(this.stmt.insertRoot.run(name, root.path).lastInsertRowid);
  }

  rootName(rootId: number): string {
    return String(this.db.prepare('SELECT name FROM roots WHERE id = ?').pluck().get(rootId) ?? '');
  }

  fileStates(rootId: number): Map<string, FileState> {
    return statesOf(this.stmt.fileStates.all(rootId));
  }

  /**
   * The states of the files at or under these relative paths (a file, or a folder that was moved or
   * deleted): what a partial run decides, read by range on the (root, path) index instead of the
   * whole root (half a second at 100k files, on every save).
   */
  fileStatesUnder(rootId: number, relPaths: Iterable<string>): Map<string, FileState> {
    const out = new Map<string, FileState>();
    for (const rel of relPaths) {
      // Every path below `rel/` sorts from `rel/` up to `rel0` ('0' follows '/').
      for (const [path, state] of statesOf(this.stmt.fileStatesUnder.all(rootId, rel, `${rel}/`, `${rel}0`))) out.set(path, state);
    }
    return out;
  }

  /** Shrinks the page cache for a bulk run (store/openDatabase.ts); returns what puts it back. */
  boundPageCache(): () => void {
    const before = Number(this.db.pragma('cache_size', { simple: true }));
    this.db.pragma(`cache_size = -${BULK_WRITE_CACHE_KIB}`);
    return () => {
      if (this.db.open) this.db.pragma(`cache_size = ${before}`);
    };
  }

  /** Points the vector table at `model`; true if every chunk now needs a vector. */
  useModel(model: ModelIdentity): boolean {
    const recreated = ensureVectorTable(this.db, model);
    if (recreated) this.vecStmt = null;
    return recreated;
  }

  private vec(): { delete: BetterSqlite3.Statement; insert: BetterSqlite3.Statement } {
    this.vecStmt ??= {
      delete: this.db.prepare('DELETE FROM chunks_vec WHERE chunk_id = ?'),
      insert: this.db.prepare('INSERT INTO chunks_vec (chunk_id, embedding) VALUES (?, vec_int8(?))'),
    };
    return this.vecStmt;
  }

  /**
   * Writes a chunk's vector (int8 for sqlite-vec, sign bits for the in-memory scan) and returns the
   * int8 bytes for the cache. The bits come from the stored bytes, so a vector served from the cache
   * gets exactly the bits a freshly embedded one does.
   */
  private putVector(id: number, vector: Float32Array): Buffer {
    const bytes = quantize(vector);
    if (this.mirrorsExact) this.vec().insert.run(BigInt(id), bytes);
    this.dimsWritten = vector.length;
    this.bitChanges.set(id, signBits(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
    return bytes;
  }

  cachedVector(modelId: string, hash: string): Float32Array | null {
    const bytes = this.stmt.cacheGet.get(modelId, hashKey(hash));
    return Buffer.isBuffer(bytes) ? dequantize(bytes) : null;
  }

  /** Runs `body` as one transaction, with the bit blocks and path-word counts it changed written before it commits. */
  private transaction(body: () => void): void {
    try {
      this.db.transaction(() => {
        this.mirrorsExact = exactTableMirrors(this.db);
        body();
        for (const id of this.ftsDeletes) this.stmt.deleteFts.run(id);
        for (const row of this.ftsInserts) this.stmt.insertFts.run(...row);
        this.bitChanges.apply(this.db);
        this.pathChanges.apply(this.db);
        if (this.dimsWritten > 0 && retireExactTableIfLarge(this.db, this.dimsWritten)) this.vecStmt = null;
      })();
    } finally {
      // Written, or rolled back: either way none of it may reach the next transaction.
      this.dimsWritten = 0;
      this.ftsDeletes = [];
      this.ftsInserts = [];
      this.bitChanges.discard();
      this.pathChanges.discard();
    }
  }

  /** Applies a batch of file changes atomically. */
  write(modelId: string, batch: readonly FileWrite[]): void {
    const now = Date.now();
    this.transaction(() => {
      const model = ensureModelKey(this.db, modelId);
      for (const op of batch) {
        switch (op.type) {
          case 'touched':
            this.stmt.touchFile.run(op.size, op.mtimeMs, op.fileId);
            break;
          case 'deleted': {
            const gone = this.stmt.fileById.get(op.fileId);
            if (gone !== undefined && rowOf(gone)['status'] === 'indexed') this.pathChanges.add(String(rowOf(gone)['path']), -1);
            this.dropChunks(op.fileId);
            this.stmt.deleteFile.run(op.fileId);
            break;
          }
          case 'skipped': {
            if (this.stmt.statusByPath.get(op.rootId, op.file.relPath) === 'indexed') this.pathChanges.add(op.file.relPath, -1);
            const id = Number(this.stmt.upsertFile.get({
              rootId: op.rootId, path: op.file.relPath, size: op.file.size, mtimeMs: op.file.mtimeMs,
              hash: op.hash, language: null, status: 'skipped', reason: op.file.reason, detail: op.file.detail, redacted: null, now,
            }));
            this.dropChunks(id);
            break;
          }
          case 'indexed': {
            if (this.stmt.statusByPath.get(op.rootId, op.file.relPath) !== 'indexed') this.pathChanges.add(op.file.relPath, 1);
            const id = Number(this.stmt.upsertFile.get({
              rootId: op.rootId, path: op.file.relPath, size: op.file.size, mtimeMs: op.file.mtimeMs,
              hash: op.file.hash, language: op.file.language, status: 'indexed', reason: null, detail: null, redacted: op.file.redacted, now,
            }));
            this.dropChunks(id);
            const blocks = op.file.textBlocks.map((body) => Number(this.stmt.insertBlock.get(id, bindable(body))));
            for (const w of op.chunks) this.insertChunk(id, op.file, blocks, w, model, now);
            break;
          }
        }
      }
    });
  }

  private dropChunks(fileId: number): void {
    for (const chunkId of this.stmt.chunkIdsOfFile.all(fileId)) {
      this.ftsDeletes.push(Number(chunkId));
      if (this.mirrorsExact) this.vec().delete.run(BigInt(Number(chunkId)));
      this.bitChanges.clear(Number(chunkId));
    }
    this.stmt.deleteChunksOfFile.run(fileId);
    this.stmt.deleteBlocksOfFile.run(fileId);
  }

  private insertChunk(fileId: number, file: IndexedFileMeta, blocks: readonly number[], w: ChunkWrite, model: number, now: number): void {
    const c = w.chunk;
    const block = blocks[w.textSlot.block];
    if (block === undefined) throw new Error(`chunk ${file.relPath}:${c.startLine} names text block ${w.textSlot.block} of ${blocks.length}`);
    const id = Number(this.stmt.insertChunk.get(fileId, c.startLine, c.endLine, c.kind, c.symbol, hashKey(w.hash), w.tokens, block, w.textSlot.slot));
    for (const d of w.definitions) this.stmt.insertDefinition.run(id, nameKey(d.name), d.name, d.line);
    this.ftsInserts.push([id, file.pathTerms, w.nameTerms, w.bodyTerms]);
    if (w.vector === null) return;
    this.stmt.cachePut.run(model, hashKey(w.hash), this.putVector(id, w.vector), now);
  }

  /**
   * Up to `limit` chunks after `afterId` without a vector (after a model change), ascending by id:
   * the caller passes the last id it got, so a chunk the model could not embed is not asked for again.
   */
  chunksNeedingVectors(limit: number, afterId: number): ChunkNeedingVector[] {
    const hasVector = vectorPresence(this.db);
    const ids: number[] = [];
    for (const id of this.db.prepare('SELECT id FROM chunks WHERE id > ? ORDER BY id').pluck().iterate(afterId)) {
      if (hasVector(Number(id))) continue;
      ids.push(Number(id));
      if (ids.length >= limit) break;
    }
    const rows = this.db.prepare(`SELECT c.id, c.hash, ${CHUNK_BODY_COLUMNS}, f.path FROM json_each(?) j CROSS JOIN chunks c JOIN files f ON f.id = c.file_id ${CHUNK_BODY_JOIN}
      WHERE c.id = j.value ORDER BY c.id`).all(JSON.stringify(ids));
    const bodies = new ChunkBodies();
    return rows.map((raw) => {
      const r = rowOf(raw);
      return { id: Number(r['id']), hash: hashOfRow(r['hash']), embedText: embedTextOf(bodies.of(r, String(r['path']))) };
    });
  }

  writeVectors(modelId: string, items: ReadonlyArray<{ id: number; hash: string; vector: Float32Array }>): void {
    const now = Date.now();
    this.transaction(() => {
      const model = ensureModelKey(this.db, modelId);
      for (const item of items) {
        this.stmt.cachePut.run(model, hashKey(item.hash), this.putVector(item.id, item.vector), now);
      }
    });
  }

  /** Fills sqlite-vec's table again once the index is small enough for exact search (store/exactTable.ts). */
  restoreExactTable(model: ModelIdentity): void {
    if (restoreExactTableIfSmall(this.db, model.id, model.dims)) this.vecStmt = null;
  }

  /**
   * Drops cached vectors that no chunk uses and that were last used more than `maxAgeMs` ago. It reads
   * the whole cache and every chunk's hash (seconds at a million chunks), so it runs at most once per
   * `maxAgeMs` / 30, never on every save; returns how many were dropped, or null when it was not yet due.
   */
  pruneCache(maxAgeMs: number): number | null {
    const now = Date.now();
    const last = Number(getMeta(this.db, 'cache_pruned_at') ?? 0);
    if (now - last < maxAgeMs / 30) return null;
    return this.db.transaction(() => {
      const dropped = this.db.prepare('DELETE FROM embed_cache WHERE used_at < ? AND hash NOT IN (SELECT hash FROM chunks)').run(now - maxAgeMs).changes;
      setMeta(this.db, 'cache_pruned_at', String(now));
      return dropped;
    })();
  }
}

function statesOf(rows: readonly unknown[]): Map<string, FileState> {
  const out = new Map<string, FileState>();
  for (const raw of rows) {
    const r = rowOf(raw);
    out.set(String(r['path']), {
      id: Number(r['id']),
      size: Number(r['size']),
      mtimeMs: Number(r['mtime_ms']),
      hash: typeof r['hash'] === 'string' ? r['hash'] : null,
      status: r['status'] === 'skipped' ? 'skipped' : 'indexed',
      reason: typeof r['reason'] === 'string' ? r['reason'] : null,
    });
  }
  return out;
}

/** Paths as users see them: relative to the root, prefixed by the root's name when the index has several. */
export function displayPath(multiRoot: boolean, rootName: string, relPath: string): string {
  return multiRoot ? `${rootName}/${relPath}` : relPath;
}
