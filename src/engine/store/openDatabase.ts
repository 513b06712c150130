import { mkdirSync, existsSync, renameSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { createError, describe, errorCode } from '../../shared/errors';
import { getMeta, setMeta } from './meta';
import { APPLICATION_ID, MIGRATIONS } from './schema';

type DatabaseConstructor = typeof BetterSqlite3;
interface SqliteVec {
  load(db: BetterSqlite3.Database): void;
}

let native: { Database: DatabaseConstructor; vec: SqliteVec } | undefined;

/**
 * better-sqlite3 is not N-API: a build for one Node ABI does not load in another (desktop VS Code's
 * Electron). Load it lazily and turn an ABI mismatch into a message that names the fix.
 */
export function loadNative(): { Database: DatabaseConstructor; vec: SqliteVec } {
  if (native !== undefined) return native;
  try {
    const Database = require('better-sqlite3') as DatabaseConstructor;
    const vec = require('sqlite-vec') as SqliteVec;
    native = { Database, vec };
    return native;
  } catch (error) {
    const message = describe(error);
    const abi = /NODE_MODULE_VERSION (\d+)/.exec(message);
    if (abi !== null) {
      throw createError(
        'native-module',
        `better-sqlite3 was built for Node ABI ${abi[1] ?? '?'} but this runtime (${process.versions['electron'] === undefined ? 'Node' : 'Electron'} ${process.versions.node}) ` +
          `needs ABI ${process.versions.modules}. Rebuild it for this runtime: \`npm rebuild better-sqlite3\` for Node, ` +
          '`npx @electron/rebuild -f -w better-sqlite3` for Electron (see README, "Packaging").',
        error,
      );
    }
    throw createError('native-module', `Could not load the SQLite modules (better-sqlite3, sqlite-vec): ${message}. Run \`npm install\` again.`, error);
  }
}

export interface OpenedDatabase {
  readonly db: BetterSqlite3.Database;
  /** Set when an unusable file was moved aside and a new index started; show it to the user. */
  readonly notice: string | null;
}

const CORRUPTION_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_INDEX']);

/**
 * sqlite-vec reports damaged vector pages as a plain SQLITE_ERROR ("vectors blob read error for 1",
 * "… could not read chunk …"): only its message tells it apart from a bad query.
 */
const VEC_DAMAGE = /blob read error|could not (?:read|open) (?:chunk|vector|rowid)|malformed|corrupt/i;

export function isCorruption(error: unknown): boolean {
  const code = errorCode(error);
  if (code === undefined) return false;
  if (CORRUPTION_CODES.has(code) || code.startsWith('SQLITE_CORRUPT')) return true;
  return code === 'SQLITE_ERROR' && VEC_DAMAGE.test(describe(error));
}

/**
 * Page cache per connection, in KiB. A search keeps what it reads hot (at 100k chunks the whole
 * embedding cache fits); a bulk indexing run writes all over the file, where 64 MiB cost 77 MB of peak
 * RSS in a cold index of 11,000 files for no measurable speed, so it runs with less (the OS keeps the
 * file cached outside the process either way).
 */
const SEARCH_CACHE_KIB = 65_536;
export const BULK_WRITE_CACHE_KIB = 16_384;

/**
 * A new index gets 8 KiB pages: chunk blocks (store/chunkText.ts) of 1–3 KB each left a quarter of
 * every 4 KiB page empty; the lexical index's 4,050-byte leaves still fit two a page. An existing
 * index keeps its page size (changing it rewrites the whole file).
 */
const NEW_PAGE_BYTES = 8192;

function configure(db: BetterSqlite3.Database): void {
  if (Number(db.pragma('page_count', { simple: true })) === 0) db.pragma(`page_size = ${NEW_PAGE_BYTES}`);
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL is crash-safe for the database (a power cut may lose the last commits, never consistency).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('temp_store = MEMORY');
  db.pragma(`cache_size = -${SEARCH_CACHE_KIB}`);
}

/**
 * quick_check reads the whole file: under a second for a small index, 34 s for a 4 GB one, which a
 * CLI search or a server start must not wait for. A large index is checked at most once a week;
 * damage met in use between checks is still caught (isCorruption) and rebuilt.
 */
const ALWAYS_CHECK_BYTES = 256 * 2 ** 20;
const CHECK_EVERY_MS = 7 * 24 * 3600 * 1000;

function quickCheckDue(db: BetterSqlite3.Database): boolean {
  const bytes = Number(db.pragma('page_count', { simple: true })) * Number(db.pragma('page_size', { simple: true }));
  if (bytes <= ALWAYS_CHECK_BYTES) return true;
  try {
    const last = Number(getMeta(db, 'quick_checked_at') ?? 0);
    return Date.now() - last > CHECK_EVERY_MS;
  } catch {
    return true; // no meta table: not an index of ours yet, check it
  }
}

function noteQuickCheck(db: BetterSqlite3.Database): void {
  try {
    setMeta(db, 'quick_checked_at', String(Date.now()));
  } catch {
    // read-only or no meta table yet: checked again next time
  }
}

/** Returns why the file cannot be used as an index, or null if it can (after migrating it). */
function verifyAndMigrate(db: BetterSqlite3.Database, quickCheck: boolean): string | null {
  const appId = Number(db.pragma('application_id', { simple: true }));
  const version = Number(db.pragma('user_version', { simple: true }));
  const tables = Number(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get());
  if (appId !== APPLICATION_ID) {
    if (appId !== 0 || tables > 0) return 'it is not a Sourceline index (a different application wrote it)';
    db.pragma(`application_id = ${APPLICATION_ID}`);
  }
  if (version > MIGRATIONS.length) return `it was written by a newer Sourceline (schema ${version} > ${MIGRATIONS.length})`;
  if (quickCheck && quickCheckDue(db)) {
    const result = String(db.pragma('quick_check(1)', { simple: true }));
    if (result !== 'ok') return `SQLite reports damage (${result})`;
    if (tables > 0) noteQuickCheck(db);
  }
  if (version < MIGRATIONS.length) migrate(db);
  return null;
}

/**
 * How long an open waits for another connection's migration: some rewrite every chunk (15 s at
 * 1.3M chunks), where a connection's usual wait for a writer is 5 s.
 */
const MIGRATION_WAIT_MS = 180_000;

/**
 * Runs the migrations still due, one transaction each. Each takes the write lock first and reads
 * the version under it, so two connections opening an old index at once (the server's threads)
 * migrate it once: the second waits, then finds it done.
 */
function migrate(db: BetterSqlite3.Database): void {
  const usualWait = Number(db.pragma('busy_timeout', { simple: true }));
  db.pragma(`busy_timeout = ${MIGRATION_WAIT_MS}`);
  try {
    for (let done = false; !done; ) {
      done = db.transaction((): boolean => {
        const v = Number(db.pragma('user_version', { simple: true }));
        const step = MIGRATIONS[v];
        if (step === undefined) return true;
        step(db);
        db.pragma(`user_version = ${v + 1}`);
        return false;
      }).immediate();
    }
  } finally {
    db.pragma(`busy_timeout = ${usualWait}`);
  }
}

/** Moves a database and its WAL/SHM files aside, keeping them for inspection rather than deleting. */
function moveAside(file: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = `${file}.unusable-${stamp}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  }
  return target;
}

export interface OpenOptions {
  /** Run SQLite's quick_check on open (costs a read of the whole file; worth it before indexing). */
  readonly quickCheck: boolean;
  readonly readonly?: boolean;
}

/**
 * Opens (creating if needed) the index at `file`. A corrupt, foreign or too-new file is moved aside
 * and a fresh index created in its place; the returned notice says so.
 */
export function openIndexDatabase(file: string, options: OpenOptions): OpenedDatabase {
  const { Database, vec } = loadNative();
  try {
    mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw createError('db-unwritable', `Cannot create the index folder ${path.dirname(file)}: ${describe(error)}. Choose another place with --db.`, error);
  }
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw createError('db-unwritable', `The index path ${file} is a folder; give a file path with --db.`);
  }
  let problem: string | null = null;
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new Database(file);
    vec.load(db);
    configure(db);
    problem = verifyAndMigrate(db, options.quickCheck);
  } catch (error) {
    if (!isCorruption(error)) {
      db?.close();
      throw createError('db-unwritable', `Cannot open the index ${file}: ${describe(error)}. Check permissions, or choose another place with --db.`, error);
    }
    problem = `SQLite cannot read it (${describe(error)})`;
  }
  if (problem === null && db !== undefined) return { db, notice: null };
  db?.close();
  const movedTo = moveAside(file);
  const fresh = new Database(file);
  vec.load(fresh);
  configure(fresh);
  const again = verifyAndMigrate(fresh, false);
  if (again !== null) throw createError('index-corrupt', `Could not create a new index at ${file}: ${again}`);
  return { db: fresh, notice: `The index at ${file} was unusable (${problem}); it was moved to ${movedTo} and is being rebuilt.` };
}

/** For corruption found after opening: moves the file aside so the caller can open a fresh index. */
export function moveAsideAndRecreate(file: string, cause: unknown): string {
  const movedTo = moveAside(file);
  return `The index at ${file} turned out to be damaged (${describe(cause)}); it was moved to ${movedTo} and rebuilt.`;
}
