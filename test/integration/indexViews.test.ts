import * as path from 'node:path';
import { rmSync, unlinkSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { allBits, BitBlockChanges, BLOCK_IDS, blockRevisions } from '../../src/engine/store/bitBlocks';
import { recountPathWords } from '../../src/engine/store/pathWordCounts';
import { IndexStore } from '../../src/engine/store/indexStore';
import { hammingNearest } from '../../src/engine/retrieve/bitScan';
import { tempDir } from '../helpers/tmp';
import { DenseEmbedder, openWorkspace } from '../helpers/workspace';
import { writeSyntheticProject } from '../helpers/corpus';

/** The path-word counts as the writes kept them, and as a recount from scratch gives them. */
function countsKeptAndRecounted(db: Database.Database): { kept: unknown; recounted: unknown } {
  const read = (): unknown => ({
    words: db.prepare('SELECT word, files FROM path_words ORDER BY word').all(),
    files: db.prepare("SELECT value FROM meta WHERE key = 'path_files'").pluck().get(),
  });
  const kept = read();
  db.transaction(() => recountPathWords(db))();
  return { kept, recounted: read() };
}

describe('index-wide views kept up by each write', () => {
  it('keeps the file-name word counts equal to a recount through adds, edits, skips and deletes', async () => {
    const dir = tempDir({
      'src/retry/RetryHelper.ts': 'export function retry(): number {\n  return 1;\n}\n',
      'src/config/loader.ts': 'export function loadConfig(): string {\n  return "";\n}\n',
      'docs/config.md': '# Config\n\nHow configuration is read.\n',
    });
    const ws = openWorkspace([dir]);
    await ws.update();
    const db = ws.indexStore.db;
    expect(db.prepare("SELECT files FROM path_words WHERE word = 'config'").pluck().get()).toBe(2);
    let { kept, recounted } = countsKeptAndRecounted(db);
    expect(kept).toEqual(recounted);

    writeFileSync(path.join(dir, 'src/config/loader.ts'), 'export function loadConfig(): string {\n  return "x";\n}\n');
    writeFileSync(path.join(dir, 'src/config/defaults.ts'), 'export const defaults = {};\n');
    writeFileSync(path.join(dir, 'docs/config.md'), Buffer.from([0, 1, 2, 3, 0, 255, 0, 7]));
    unlinkSync(path.join(dir, 'src/retry/RetryHelper.ts'));
    await ws.update();
    ({ kept, recounted } = countsKeptAndRecounted(db));
    expect(kept).toEqual(recounted);
    expect(db.prepare("SELECT files FROM path_words WHERE word = 'retryhelper'").pluck().get()).toBeUndefined();
    expect(db.prepare("SELECT value FROM meta WHERE key = 'path_files'").pluck().get()).toBe('2');

    // A save decided alone (as the language server does) keeps them too.
    writeFileSync(path.join(dir, 'src/retry/RetryHelper.ts'), 'export function retry(): number {\n  return 2;\n}\n');
    await ws.update(undefined, undefined, undefined, new Set([path.join(dir, 'src/retry/RetryHelper.ts')]));
    ({ kept, recounted } = countsKeptAndRecounted(db));
    expect(kept).toEqual(recounted);
    ws.close();
  });

  it('finds the new text and not the old when an edit reuses the chunk ids it freed', async () => {
    // One file: its chunks hold the highest ids, so its new chunks take the same ids again.
    const dir = tempDir({ 'src/only.ts': 'export function zebrafrog(): number {\n  return 1;\n}\n' });
    const embedder = new DenseEmbedder(64);
    const ws = openWorkspace([dir], embedder);
    await ws.update();
    const db = ws.indexStore.db;
    const before = db.prepare('SELECT id FROM chunks').pluck().all();
    writeFileSync(path.join(dir, 'src/only.ts'), 'export function quokkalion(): number {\n  return 2;\n}\n');
    await ws.update();
    expect(db.prepare('SELECT id FROM chunks').pluck().all()).toEqual(before);
    const lexical = async (q: string): Promise<number> => (await ws.search(q, { limit: 5, retrievers: ['lexical'] })).hits.length;
    expect(await lexical('quokkalion')).toBe(1);
    expect(await lexical('zebrafrog')).toBe(0);
    expect(allBits(db).size).toBe(before.length);
    ws.close();
  });

  it('drops the files under a deleted folder in a partial run, and only those (not a sibling sharing its prefix)', async () => {
    const dir = tempDir({
      'src/net/socket.ts': 'export function openSocket(): number {\n  return 1;\n}\n',
      'src/net/deep/dial.ts': 'export function dialPeer(): number {\n  return 2;\n}\n',
      'src/net-utils/retry.ts': 'export function retryDial(): number {\n  return 3;\n}\n',
      'src/net.ts': 'export const netRoot = 4;\n',
    });
    const ws = openWorkspace([dir]);
    await ws.update();
    rmSync(path.join(dir, 'src/net'), { recursive: true });
    const summary = await ws.update(undefined, undefined, undefined, new Set([path.join(dir, 'src/net')]));
    expect(summary.filesDeleted).toBe(2);
    const paths = ws.indexStore.db.prepare('SELECT path FROM files ORDER BY path').pluck().all();
    expect(paths).toEqual(['src/net-utils/retry.ts', 'src/net.ts']);
    ws.close();
  });

  it('packs sign bits in blocks of chunk ids, drops an emptied block and forgets a rolled-back batch', () => {
    const store = IndexStore.open(path.join(tempDir(), 'index.db'), { quickCheck: false });
    const db = store.db;
    const changes = new BitBlockChanges();
    const bits = (x: number): Uint8Array => Uint8Array.from([x, x + 1]);
    const ids = [1, BLOCK_IDS - 1, BLOCK_IDS, 3 * BLOCK_IDS + 5];
    db.transaction(() => {
      for (const id of ids) changes.set(id, bits(id % 200));
      changes.apply(db);
    })();
    expect([...allBits(db).keys()]).toEqual(ids);
    expect(allBits(db).get(BLOCK_IDS)).toEqual(Buffer.from(bits(BLOCK_IDS % 200)));
    const revs = blockRevisions(db);
    expect([...revs.keys()]).toEqual([0, 1, 3]);

    db.transaction(() => {
      changes.clear(BLOCK_IDS);
      changes.set(2, bits(9));
      changes.apply(db);
    })();
    expect([...allBits(db).keys()]).toEqual([1, 2, BLOCK_IDS - 1, 3 * BLOCK_IDS + 5]);
    const after = blockRevisions(db);
    expect(after.has(1)).toBe(false);
    expect(after.get(0)).toBe((revs.get(0) ?? 0) + 1);
    expect(after.get(3)).toBe(revs.get(3));

    changes.set(7, bits(7));
    changes.discard();
    db.transaction(() => changes.apply(db))();
    expect(allBits(db).has(7)).toBe(false);
    store.close();
  });

  it('lets a second reader see a save by reading only the blocks it changed', async () => {
    const dir = tempDir();
    writeSyntheticProject(dir, 40);
    const embedder = new DenseEmbedder(64);
    const dbPath = path.join(tempDir(), 'index.db');
    const ws = openWorkspace([dir], embedder, dbPath);
    await ws.update();
    const reader = new Database(dbPath, { readonly: true });
    const q = embedder.embedOne('zebra quartz marker function');
    const before = hammingNearest(reader, q, 5);
    const file = path.join(dir, 'src/module0/file1.ts');
    writeFileSync(file, 'export function zebraQuartzMarker(): string {\n  return "zebra quartz marker";\n}\n');
    await ws.update(undefined, undefined, undefined, new Set([file]));
    const fresh = ws.indexStore.db.prepare("SELECT c.id FROM chunks c JOIN files f ON f.id = c.file_id WHERE f.path = 'src/module0/file1.ts'").pluck().all().map(Number);
    const after = hammingNearest(reader, q, 5);
    expect(after).not.toEqual(before);
    expect(after).toContain(fresh[0]);
    expect(hammingNearest(reader, q, 5)).toEqual(hammingNearest(ws.indexStore.db, q, 5));
    reader.close();
    ws.close();
  });
});
