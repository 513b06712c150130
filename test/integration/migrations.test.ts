import { spawn } from 'node:child_process';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { writeSyntheticProject } from '../helpers/corpus';
import { tempDir } from '../helpers/tmp';
import { openWorkspace } from '../helpers/workspace';
import { IndexStore } from '../../src/engine/store/indexStore';
import { MIGRATIONS } from '../../src/engine/store/schema';
import { definingChunks } from '../../src/engine/retrieve/definitions';
import { rmSync, writeFileSync } from 'node:fs';
import { readChunks } from '../../src/engine/store/readChunks';
import { toLayoutBeforeBlocks } from '../helpers/oldLayouts';

/**
 * Another process migrating the index: it takes the write lock, reports it, and a while later
 * records the last migration as done and commits.
 */
function migratingElsewhere(dbPath: string): Promise<{ locked: Promise<void>; done: Promise<number | null> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.pragma('user_version = ${MIGRATIONS.length}'); db.exec('COMMIT'); db.close(); }, 1500);`;
  const child = spawn(process.execPath, ['-e', script, dbPath], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('locked')) resolve(); }));
  const done = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return Promise.resolve({ locked, done });
}

describe('migrations', () => {
  it('run once when two connections open an old index together: the second waits and finds them done', async () => {
    const dir = tempDir();
    writeSyntheticProject(dir, 20);
    const dbPath = path.join(tempDir(), 'index.db');
    const ws = openWorkspace([dir], undefined, dbPath);
    await ws.update();
    ws.close();
    // One migration due; running it again on this (already migrated) file would fail.
    const db = new Database(dbPath);
    db.pragma(`user_version = ${MIGRATIONS.length - 1}`);
    db.close();

    const other = await migratingElsewhere(dbPath);
    await other.locked;
    const store = IndexStore.open(dbPath, { quickCheck: false });
    expect(store.notice).toBeNull();
    expect(Number(store.db.pragma('user_version', { simple: true }))).toBe(MIGRATIONS.length);
    expect(Number(store.db.prepare('SELECT count(*) FROM chunks').pluck().get())).toBeGreaterThan(20);
    store.close();
    expect(await other.done).toBe(0);
  }, 30_000);

  it('moves definitions to the table keyed by chunk and name key, and they are found and dropped as before', async () => {
    const dir = tempDir({
      'src/session.py': 'class Session:\n    def refresh_token(self):\n        return 1\n\ndef ParseConfig(path):\n    return path\n',
      'lib/other.rb': 'class Other\n  def parse_config\n  end\nend\n',
    });
    const dbPath = path.join(tempDir(), 'index.db');
    const ws = openWorkspace([dir], undefined, dbPath);
    await ws.update();
    ws.close();
    const rowsOf = (db: Database.Database): string[] => db.prepare('SELECT chunk_id, name, line FROM definitions ORDER BY chunk_id, name').raw().all().map((r) => JSON.stringify(r));
    // The layout before migration 11: a rowid table, its names case-insensitive, two indexes.
    const db = new Database(dbPath);
    const current = rowsOf(db);
    expect(current.length).toBeGreaterThanOrEqual(4);
    db.exec(`CREATE TABLE old_definitions (name TEXT NOT NULL COLLATE NOCASE, chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE, line INTEGER NOT NULL);
      INSERT INTO old_definitions SELECT name, chunk_id, line FROM definitions; DROP TABLE definitions; ALTER TABLE old_definitions RENAME TO definitions;
      CREATE INDEX definitions_by_name ON definitions(name); CREATE INDEX definitions_by_chunk ON definitions(chunk_id);`);
    toLayoutBeforeBlocks(db);
    db.pragma(`user_version = ${MIGRATIONS.length - 2}`);
    db.close();
    const again = openWorkspace([dir], undefined, dbPath);
    const migrated = again.indexStore.db;
    expect(rowsOf(migrated)).toEqual(current);
    expect(migrated.prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'definitions' AND type = 'index' AND sql IS NOT NULL").pluck().all()).toEqual(['definitions_by_key']);
    expect([...definingChunks(migrated, ['parseconfig']).values()]).toEqual(['parseconfig']);
    expect(definingChunks(migrated, ['PARSE_CONFIG', 'Session']).size).toBe(2);
    rmSync(path.join(dir, 'lib', 'other.rb'));
    await again.update();
    expect(definingChunks(migrated, ['parse_config']).size).toBe(0);
    expect(migrated.prepare('SELECT count(*) FROM definitions WHERE chunk_id NOT IN (SELECT id FROM chunks)').pluck().get()).toBe(0);
    again.close();
  });

  it('leave chunks stored in their rows readable, and write changed files in blocks', async () => {
    const dir = tempDir();
    writeSyntheticProject(dir, 12);
    const dbPath = path.join(tempDir(), 'index.db');
    const ws = openWorkspace([dir], undefined, dbPath);
    await ws.update();
    const ids = ws.indexStore.db.prepare('SELECT id FROM chunks ORDER BY id').pluck().all().map(Number);
    const current = readChunks(ws.indexStore.db, ids);
    const hitsOf = async (w: typeof ws): Promise<string[]> => (await w.search('parse config session', { limit: 5 })).hits.map((h) => `${h.relPath}:${h.startLine}:${h.text}`);
    const hits = await hitsOf(ws);
    ws.close();
    const db = new Database(dbPath);
    toLayoutBeforeBlocks(db);
    db.pragma(`user_version = ${MIGRATIONS.length - 1}`);
    db.close();
    const again = openWorkspace([dir], undefined, dbPath);
    const migrated = again.indexStore.db;
    expect(readChunks(migrated, ids)).toEqual(current);
    expect(await hitsOf(again)).toEqual(hits);
    expect(migrated.prepare('SELECT count(*) FROM chunk_blocks').pluck().get()).toBe(0);
    const changed = current[0]?.relPath ?? '';
    writeFileSync(path.join(dir, changed), '// changed\nexport function changedOne() {\n  return 1;\n}\n');
    await again.update();
    const inBlocks = migrated.prepare('SELECT DISTINCT f.path FROM chunks c JOIN files f ON f.id = c.file_id WHERE c.block IS NOT NULL').pluck().all();
    expect(inBlocks).toEqual([changed]);
    expect((await again.search('changedOne', { limit: 1 })).hits[0]?.relPath).toBe(changed);
    again.close();
  });

  it('give a new index 8 KiB pages and leave an existing index at its own', async () => {
    const dir = tempDir();
    writeSyntheticProject(dir, 6);
    const dbPath = path.join(tempDir(), 'index.db');
    const ws = openWorkspace([dir], undefined, dbPath);
    await ws.update();
    expect(ws.indexStore.db.pragma('page_size', { simple: true })).toBe(8192);
    ws.close();
    // An index written before: 4 KiB pages.
    const db = new Database(dbPath);
    db.pragma('journal_mode = DELETE');
    db.pragma('page_size = 4096');
    db.exec('VACUUM');
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    db.close();
    const again = openWorkspace([dir], undefined, dbPath);
    writeFileSync(path.join(dir, 'added.ts'), 'export function addedAfter() {\n  return 2;\n}\n');
    await again.update();
    expect(again.indexStore.db.pragma('page_size', { simple: true })).toBe(4096);
    expect((await again.search('addedAfter', { limit: 1 })).hits[0]?.relPath).toBe('added.ts');
    again.close();
  });
});
