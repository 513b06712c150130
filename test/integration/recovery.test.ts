import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli';
import { writeSyntheticProject } from '../helpers/corpus';
import { tempDir } from '../helpers/tmp';

interface Counts {
  files: number;
  emptyFiles: number;
  chunks: number;
  fts: number;
  vectors: number;
}

function counts(db: string): Counts {
  const conn = new Database(db, { readonly: true });
  sqliteVec.load(conn);
  const one = (sql: string): number => Number(conn.prepare(sql).pluck().get());
  const result = {
    files: one("SELECT count(*) FROM files WHERE status = 'indexed'"),
    emptyFiles: one("SELECT count(*) FROM files f WHERE status = 'indexed' AND NOT EXISTS (SELECT 1 FROM chunks c WHERE c.file_id = f.id)"),
    chunks: one('SELECT count(*) FROM chunks'),
    fts: one('SELECT count(*) FROM chunks_fts'),
    vectors: one('SELECT count(*) FROM chunks_vec'),
  };
  conn.close();
  return result;
}

function indexedFileCount(db: string): number {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    const n = Number(conn.prepare("SELECT count(*) FROM files WHERE status = 'indexed'").pluck().get());
    conn.close();
    return n;
  } catch {
    return 0;
  }
}

function searchJson(root: string, db: string, query: string): unknown {
  const run = runCli(['search', query, '--root', root, '--db', db, '--json', '--no-update']);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

describe('crash safety', () => {
  it('kill -9 mid-index leaves a consistent index, and the next run resumes and completes it', async () => {
    const root = tempDir();
    writeSyntheticProject(root, 1200);
    const db = path.join(tempDir(), 'index.db');
    const child = spawn(process.execPath, [CLI, 'index', '--root', root, '--db', db], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Wait until some batches have committed, then kill without warning.
    const deadline = Date.now() + 60_000;
    while (indexedFileCount(db) < 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    // The run stops with the command, whichever process of it did the indexing (cli/tunedIndexProcess.ts).
    const atKill = indexedFileCount(db);
    await new Promise((r) => setTimeout(r, 1500));
    expect(indexedFileCount(db)).toBe(atKill);
    const partial = counts(db);
    expect(partial.files).toBeGreaterThan(0);
    expect(partial.files).toBeLessThan(1200);
    // Consistent at the moment of the crash: every committed file has all its rows.
    expect(partial.fts).toBe(partial.chunks);
    expect(partial.vectors).toBe(partial.chunks);
    expect(partial.emptyFiles).toBe(0);

    const resumed = runCli(['index', '--root', root, '--db', db]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`Indexed 1,200 files \\(${(1200 - partial.files).toLocaleString('en-US')} changed\\)`));
    const full = counts(db);
    expect(full.files).toBe(1200);
    expect(full.fts).toBe(full.chunks);
    expect(full.vectors).toBe(full.chunks);

    // Same results as an index built in one go.
    const fresh = path.join(tempDir(), 'fresh.db');
    expect(runCli(['index', '--root', root, '--db', fresh]).code).toBe(0);
    expect(counts(fresh).chunks).toBe(full.chunks);
    for (const q of ['handleRequest17x2', 'large payload split total']) {
      const a = searchJson(root, db, q);
      const b = searchJson(root, fresh, q);
      expect(JSON.stringify(a).replace(/"score":[\d.e-]+/g, '')).toBe(JSON.stringify(b).replace(/"score":[\d.e-]+/g, ''));
    }
  });
});

describe('unusable index files', () => {
  const project = { 'src/a.ts': 'export function alpha() {\n  return 1;\n}\n' };

  function movedAside(db: string): string[] {
    return readdirSync(path.dirname(db)).filter((f) => f.startsWith(`${path.basename(db)}.unusable-`) && !f.endsWith('-wal') && !f.endsWith('-shm'));
  }

  it('moves a garbage file aside, says so, and rebuilds', () => {
    const root = tempDir(project);
    const db = path.join(tempDir(), 'index.db');
    writeFileSync(db, Buffer.from('this is not a database at all'.repeat(200)));
    const run = runCli(['index', '--root', root, '--db', db]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/unusable.*moved to .*index\.db\.unusable-.*rebuilt/);
    expect(movedAside(db)).toHaveLength(1);
    expect(counts(db).files).toBe(1);
  });

  it('never overwrites a foreign SQLite database: moves it aside with its data intact', () => {
    const root = tempDir(project);
    const db = path.join(tempDir(), 'index.db');
    const foreign = new Database(db);
    foreign.exec("CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('ada')");
    foreign.close();
    const run = runCli(['search', 'alpha', '--root', root, '--db', db]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/not a Sourceline index/);
    const [aside] = movedAside(db);
    expect(aside).toBeDefined();
    const kept = new Database(path.join(path.dirname(db), aside ?? ''), { readonly: true });
    expect(kept.prepare('SELECT name FROM users').pluck().get()).toBe('ada');
    kept.close();
    expect(run.stdout).toMatch(/src\/a\.ts:1-3/);
  });

  it('detects damaged pages before indexing and rebuilds', () => {
    const root = tempDir();
    writeSyntheticProject(root, 60);
    const db = path.join(tempDir(), 'index.db');
    expect(runCli(['index', '--root', root, '--db', db]).code).toBe(0);
    expect(existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0).toBe(0);
    const size = statSync(db).size;
    const fd = openSync(db, 'r+');
    const junk = Buffer.alloc(8192, 0xa5);
    for (let offset = 8192; offset < size - 8192; offset += 32768) writeSync(fd, junk, 0, junk.length, offset);
    closeSync(fd);
    const run = runCli(['index', '--root', root, '--db', db]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/unusable|damaged/);
    expect(counts(db).files).toBe(60);
    expect(readFileSync(db).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it.each([['search', ['search', 'export function']], ['ask', ['ask', 'what does the project export']]])(
    'rebuilds an index that %s finds damaged (random bytes over the vector pages), exactly as index does',
    (_name, command) => {
      const root = tempDir();
      writeSyntheticProject(root, 60);
      const db = path.join(tempDir(), 'index.db');
      expect(runCli(['index', '--root', root, '--db', db]).code).toBe(0);
      const fd = openSync(db, 'r+');
      const size = statSync(db).size;
      // Deterministic noise over a fifth of the file from 20 % on: where this schema keeps vector pages.
      const noise = Buffer.from(Array.from({ length: Math.floor(size / 5) }, (_, i) => (i * 2654435761) >>> 24));
      writeSync(fd, noise, 0, noise.length, Math.floor(size * 0.2));
      closeSync(fd);
      const first = runCli([...command, '--root', root, '--db', db, '--no-update']);
      expect(first.stderr).not.toMatch(/unexpected error/);
      expect(first.code).toBe(0);
      expect(first.stderr).toMatch(/unusable|damaged/);
      expect(readdirSync(path.dirname(db)).some((f) => f.includes('.unusable-'))).toBe(true);
      expect(counts(db).files).toBe(60);
      const again = runCli([...command, '--root', root, '--db', db, '--no-update']);
      expect(again.code).toBe(0);
      expect(again.stderr).not.toMatch(/unusable|damaged/);
    },
  );
});
