import type BetterSqlite3 from 'better-sqlite3';
import { CHUNK_KINDS, type Chunk, type ChunkKind } from '../types';
import { CHUNK_BODY_COLUMNS, CHUNK_BODY_JOIN, ChunkBodies } from './chunkText';
import { rowOf } from './rows';
import { hashOfRow } from './cacheKeys';
import { statement } from './statements';

/** A stored chunk with the file and root it belongs to. */
export interface ChunkRow extends Chunk {
  readonly id: number;
  readonly rootId: number;
  readonly rootName: string;
  readonly rootPath: string;
  readonly relPath: string;
  readonly hash: string;
}

function toKind(value: unknown): ChunkKind {
  return CHUNK_KINDS.find((k) => k === value) ?? 'block';
}

/** Chunk rows with their file and root, in the order of `ids`; `bodies` may hold blocks inflated already. */
export function readChunks(db: BetterSqlite3.Database, ids: readonly number[], bodies = new ChunkBodies()): ChunkRow[] {
  if (ids.length === 0) return [];
  const rows = statement(db, `
      SELECT c.id, f.root_id, r.name AS root_name, r.path AS root_path, f.path, c.start_line, c.end_line,
             c.kind, c.symbol, c.hash, ${CHUNK_BODY_COLUMNS}
      FROM chunks c JOIN files f ON f.id = c.file_id JOIN roots r ON r.id = f.root_id ${CHUNK_BODY_JOIN}
      WHERE c.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids));
  const byId = new Map<number, ChunkRow>();
  for (const raw of rows) {
    const r = rowOf(raw);
    const relPath = String(r['path']);
    byId.set(Number(r['id']), {
      id: Number(r['id']),
      rootId: Number(r['root_id']),
      rootName: String(r['root_name']),
      rootPath: String(r['root_path']),
      relPath,
      startLine: Number(r['start_line']),
      endLine: Number(r['end_line']),
      kind: toKind(r['kind']),
      symbol: String(r['symbol']),
      ...bodies.of(r, relPath),
      hash: hashOfRow(r['hash']),
    });
  }
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row === undefined ? [] : [row];
  });
}

export function rootCount(db: BetterSqlite3.Database): number {
  return Number(db.prepare('SELECT count(*) FROM roots').pluck().get());
}
