import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindable, BLOCK_CHARS, ChunkBodies, packChunks, packContext, packText, unpackBlock } from '../../src/engine/store/chunkText';
import { readChunks } from '../../src/engine/store/readChunks';
import { rowOf } from '../../src/engine/store/rows';
import { openWorkspace } from '../helpers/workspace';
import { tempDir } from '../helpers/tmp';

const LODASH = path.join(__dirname, '..', '..', 'node_modules', 'lodash');
const THEIRS = ['debounce.js', 'template.js', 'lodash.js', '_baseClone.js', 'merge.js', 'throttle.js'];

function storedBytes(value: unknown): number {
  return typeof value === 'string' ? Buffer.byteLength(value) : value instanceof Uint8Array ? value.length : 0;
}

describe("chunk texts packed in their file's blocks", () => {
  it('read back exactly, whatever contexts and texts hold', () => {
    const texts = ['', 'a', '3,4\n5', 'ünïcode 𝒇 ∑', '\n\n', 'x'.repeat(BLOCK_CHARS * 3), ',', '12\n', 'tail'];
    const contexts = ['src/a.ts', 'src/a.ts\nclass A', 'lib/other.ts', '\u0001marker', '', 'src/a.ts\nhuge()', '\u0002', 'src/a.ts', 'src/a.ts\n,'];
    const chunks = texts.map((text, i) => ({ text, context: contexts[i] ?? '' }));
    const packed = packChunks('src/a.ts', chunks);
    expect(packed.slots).toHaveLength(chunks.length);
    const bodies = new ChunkBodies();
    packed.slots.forEach((slot, i) => {
      expect(bodies.of({ block: slot.block, slot: slot.slot, block_body: packed.blocks[slot.block] }, 'src/a.ts')).toEqual(chunks[i]);
    });
    // Consecutive chunks share a block until it holds BLOCK_CHARS; the huge one closes its own.
    expect(packed.slots.map((s) => s.block)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(unpackBlock(packed.blocks[0]).slice(0, 4)).toEqual([packContext('src/a.ts', 'src/a.ts'), '', packContext('src/a.ts', 'src/a.ts\nclass A'), 'a']);
    expect(packChunks('src/a.ts', [])).toEqual({ blocks: [], slots: [] });
    // A value that is not a block reads as no entries, never as wrong ones.
    expect(unpackBlock('no header')).toEqual([]);
    expect(unpackBlock('5,9\nshort')).toEqual([]);
    expect(unpackBlock(null)).toEqual([]);
    expect(bodies.of({ block: 99, slot: 0, block_body: 'x,y\nbroken' }, 'src/a.ts')).toEqual({ context: '', text: '' });
  });

  it('in a real index: each chunk reads as its lines, in a fraction of the bytes chunks packed alone took, with no block left behind', async () => {
    const files = Object.fromEntries(THEIRS.map((f) => [`lodash/${f}`, readFileSync(path.join(LODASH, f), 'utf8')]));
    const root = tempDir(files);
    const ws = openWorkspace([root]);
    await ws.update();
    const db = ws.indexStore.db;
    const ids = db.prepare('SELECT id FROM chunks ORDER BY id').pluck().all().map(Number);
    const chunks = readChunks(db, ids);
    expect(chunks.length).toBeGreaterThan(200);
    for (const c of chunks) {
      const lines = (files[c.relPath] ?? '').split('\n');
      expect(c.text).toBe(lines.slice(c.startLine - 1, c.endLine).join('\n'));
    }
    expect(db.prepare("SELECT count(*) FROM chunks WHERE block IS NULL OR text != '' OR context != ''").pluck().get()).toBe(0);
    const blockBytes = db.prepare('SELECT body FROM chunk_blocks').pluck().all().reduce((n: number, b) => n + storedBytes(b), 0);
    // As stored before: each chunk's text packed alone, its context beside it.
    const aloneBytes = chunks.reduce((n, c) => n + storedBytes(packText(c.text)) + storedBytes(packContext(c.relPath, c.context)), 0);
    expect(blockBytes).toBeLessThan(0.8 * aloneBytes);

    // A file indexed again or deleted takes its blocks with it.
    const orphans = db.prepare('SELECT count(*) FROM chunk_blocks WHERE id NOT IN (SELECT block FROM chunks WHERE block IS NOT NULL)').pluck();
    const blocksOf = db.prepare('SELECT count(*) FROM chunk_blocks b JOIN files f ON f.id = b.file_id WHERE f.path = ?').pluck();
    writeFileSync(path.join(root, 'lodash/template.js'), `${files['lodash/template.js'] ?? ''}\nfunction addedLater(value) {\n  return value;\n}\n`);
    rmSync(path.join(root, 'lodash/merge.js'));
    await ws.update();
    expect(orphans.get()).toBe(0);
    expect(blocksOf.get('lodash/merge.js')).toBe(0);
    expect(Number(blocksOf.get('lodash/template.js'))).toBeGreaterThan(0);
    const added = (await ws.search('addedLater', { limit: 1 })).hits[0];
    expect(added?.relPath).toBe('lodash/template.js');
    expect(added?.text).toContain('function addedLater(value) {\n  return value;\n}');
    const row = rowOf(db.prepare("SELECT count(*) AS n FROM chunks c JOIN files f ON f.id = c.file_id WHERE f.path = 'lodash/merge.js'").get());
    expect(row['n']).toBe(0);
    // Block ids are never reused: a search that read a block before a write never takes a new one for it.
    const maxBlock = db.prepare('SELECT max(id) FROM chunk_blocks').pluck();
    const newest = String(db.prepare('SELECT f.path FROM chunk_blocks b JOIN files f ON f.id = b.file_id ORDER BY b.id DESC LIMIT 1').pluck().get());
    const highest = Number(maxBlock.get());
    rmSync(path.join(root, newest));
    await ws.update();
    expect(Number(maxBlock.get())).toBeLessThan(highest);
    writeFileSync(path.join(root, 'lodash/later.js'), files['lodash/throttle.js'] ?? '');
    await ws.update();
    expect(Number(db.prepare("SELECT min(b.id) FROM chunk_blocks b JOIN files f ON f.id = b.file_id WHERE f.path = 'lodash/later.js'").pluck().get())).toBeGreaterThan(highest);

    // Rows written before blocks existed (context and text in the row, the context's path elided or
    // not) read the same, and so do their searches.
    const hitsBefore = (await ws.search('debounce wait leading trailing', { limit: 5 })).hits.map((h) => `${h.relPath}:${h.startLine}`);
    const legacy = db.prepare('UPDATE chunks SET context = ?, text = ?, block = NULL, slot = NULL WHERE id = ?');
    const untouched = chunks.filter((c) => !['lodash/template.js', 'lodash/merge.js', newest].includes(c.relPath));
    db.transaction(() => {
      untouched.forEach((c, i) => {
        if (i % 3 === 0) legacy.run(packContext(c.relPath, c.context), bindable(packText(c.text)), c.id);
        if (i % 3 === 1) legacy.run(c.context, c.text, c.id);
      });
    })();
    expect(readChunks(db, untouched.map((c) => c.id))).toEqual(untouched);
    expect((await ws.search('debounce wait leading trailing', { limit: 5 })).hits.map((h) => `${h.relPath}:${h.startLine}`)).toEqual(hitsBefore);
    expect(hitsBefore[0]).toMatch(/^lodash\/debounce\.js:/);
    ws.close();
  });
});
