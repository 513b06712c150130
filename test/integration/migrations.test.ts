import { spawn } from 'node:child_process';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { writeSyntheticProject } from '../helpers/corpus';
import { tempDir } from '../helpers/tmp';
import { openWorkspace } from '../helpers/workspace';
import { IndexStore } from '../../src/engine/store/indexStore';
import { MIGRATIONS } from '../../src/engine/store/schema';

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
});
