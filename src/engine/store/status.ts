import type BetterSqlite3 from 'better-sqlite3';
import { rowOf } from './rows';
import { currentModel, vectorTableExists } from './vectors';
import { storedVectorCount } from './bitBlocks';

export interface SkippedEntry {
  readonly root: string;
  readonly path: string;
  readonly reason: string;
  readonly detail: string;
}

/** A file indexed with secret values replaced by markers. */
export interface RedactedEntry {
  readonly root: string;
  readonly path: string;
  /** `line 3: github-token; line 9: private-key`. */
  readonly detail: string;
}

export interface IndexStatus {
  readonly roots: ReadonlyArray<{ readonly name: string; readonly path: string; readonly files: number }>;
  readonly filesIndexed: number;
  readonly filesSkipped: number;
  readonly skippedByReason: Readonly<Record<string, number>>;
  readonly skipped: readonly SkippedEntry[];
  readonly redacted: readonly RedactedEntry[];
  readonly chunks: number;
  readonly vectors: number;
  readonly model: string | null;
  readonly dims: number | null;
  readonly dbBytes: number;
  readonly lastIndexedAt: number | null;
}

function count(db: BetterSqlite3.Database, sql: string): number {
  return Number(db.prepare(sql).pluck().get() ?? 0);
}

export function readStatus(db: BetterSqlite3.Database, dbBytes: number): IndexStatus {
  const roots = db
    .prepare("SELECT r.name, r.path, (SELECT count(*) FROM files f WHERE f.root_id = r.id AND f.status = 'indexed') AS files FROM roots r ORDER BY r.id")
    .all()
    .map((raw) => {
      const r = rowOf(raw);
      return { name: String(r['name']), path: String(r['path']), files: Number(r['files']) };
    });
  const skipped = db
    .prepare("SELECT r.name AS root, f.path, f.reason, f.detail FROM files f JOIN roots r ON r.id = f.root_id WHERE f.status = 'skipped' ORDER BY f.reason, f.path")
    .all()
    .map((raw) => {
      const r = rowOf(raw);
      return { root: String(r['root']), path: String(r['path']), reason: String(r['reason']), detail: String(r['detail'] ?? '') };
    });
  const redacted = db
    .prepare("SELECT r.name AS root, f.path, f.redacted FROM files f JOIN roots r ON r.id = f.root_id WHERE f.redacted IS NOT NULL ORDER BY f.path")
    .all()
    .map((raw) => {
      const r = rowOf(raw);
      return { root: String(r['root']), path: String(r['path']), detail: String(r['redacted']) };
    });
  const skippedByReason: Record<string, number> = {};
  for (const s of skipped) skippedByReason[s.reason] = (skippedByReason[s.reason] ?? 0) + 1;
  const model = currentModel(db);
  const hasVec = vectorTableExists(db);
  const last = db.prepare('SELECT max(indexed_at) FROM files').pluck().get();
  return {
    roots,
    filesIndexed: count(db, "SELECT count(*) FROM files WHERE status = 'indexed'"),
    filesSkipped: skipped.length,
    skippedByReason,
    skipped,
    redacted,
    chunks: count(db, 'SELECT count(*) FROM chunks'),
    vectors: hasVec ? storedVectorCount(db) : 0,
    model: model?.id ?? null,
    dims: model?.dims ?? null,
    dbBytes,
    lastIndexedAt: typeof last === 'number' ? last : null,
  };
}
