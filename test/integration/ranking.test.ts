import * as path from 'node:path';
import { unlinkSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';
import { DenseEmbedder, openWorkspace } from '../helpers/workspace';
import { hammingNearest } from '../../src/engine/retrieve/bitScan';
import { allBits } from '../../src/engine/store/bitBlocks';
import { dequantize, signBits } from '../../src/engine/store/vectors';
import { writeSyntheticProject } from '../helpers/corpus';
import { toLayoutBeforeBlocks } from '../helpers/oldLayouts';

/** Code in languages the syntax chunker does not parse (line windows, no symbols), as in many real repositories. */
const TREE: Record<string, string> = {
  'lib/site/regenerator.rb': [
    'module Site',
    '  # Decides which pages changed since the last build.',
    '  class Regenerator',
    '    def initialize(site)',
    '      @site = site',
    '    end',
    '',
    '    def regenerate?(document)',
    '      modified?(document.path)',
    '    end',
    '  end',
    'end',
  ].join('\n'),
  'spec/regenerator_spec.rb': Array.from({ length: 12 }, (_, i) => `describe Regenerator do\n  it "regenerates case ${i}" do\n    expect(Regenerator.new(site).regenerate?(doc)).to be true\n  end\nend`).join('\n'),
  'CHANGELOG.md': '# Changes\n\n- Regenerator: faster incremental builds\n- Regenerator: fix for pages with front matter\n',
  'src/ShellCheck/Fixer.hs': 'module ShellCheck.Fixer where\n\napplyFix :: Fix -> Array Int String -> [String]\napplyFix fix fileLines = reverse (foldl step [] fileLines)\n',
  'src/ShellCheck/Formatter/Diff.hs': Array.from({ length: 8 }, (_, i) => `render${i} fix = applyFix fix (lines input) -- applyFix again for ${i}`).join('\n'),
  'src/config/Config.hs': 'module Config where\n\n-- | Reads the settings file and merges the defaults.\nreadSettings :: FilePath -> IO Settings\nreadSettings path = decodeFile path\n',
  'src/server/http.hs': 'module Http where\n\n-- | Reads configuration from the request headers.\nserve :: Request -> IO Response\nserve req = respond (headers req)\n',
};

/**
 * Cache keys as indexes before migration 10 wrote them (64 hex digits, the model by name): the
 * chunks' hashes turned back, the cache's rows returned and its table dropped.
 */
function withTextCacheKeys(db: Database.Database): unknown[][] {
  const pad = '0'.repeat(32);
  const rows = db.prepare(`SELECT m.name, lower(hex(e.hash)) || '${pad}', e.vector, e.used_at FROM embed_cache e JOIN models m ON m.id = e.model`).raw().all();
  db.exec(`UPDATE chunks SET hash = lower(hex(hash)) || '${pad}'; DROP TABLE models; DROP TABLE embed_cache;`);
  return rows.filter((r): r is unknown[] => Array.isArray(r));
}

describe('ranking on code without a syntax chunker', () => {
  it('puts the definition of a named class first, before its tests and the changelog', async () => {
    const ws = openWorkspace([tempDir(TREE)]);
    await ws.update();
    const { hits } = await ws.search('Regenerator', { limit: 5 });
    expect(hits[0]?.relPath).toBe('lib/site/regenerator.rb');
    expect(hits.findIndex((h) => h.relPath === 'CHANGELOG.md')).not.toBe(1);
    ws.close();
  });

  it('finds a definition by name even when neither retriever returned it', async () => {
    const ws = openWorkspace([tempDir(TREE)]);
    await ws.update();
    // One candidate per retriever: the usages in Diff.hs outscore the one-line definition lexically.
    const { hits } = await ws.search('where is applyFix defined', { limit: 3, depth: 1 });
    expect(hits[0]?.relPath).toBe('src/ShellCheck/Fixer.hs');
    ws.close();
  });

  it('counts a file name that matches the question', async () => {
    const ws = openWorkspace([tempDir(TREE)]);
    await ws.update();
    const { hits } = await ws.search('reading configuration settings', { limit: 3 });
    expect(hits[0]?.relPath).toBe('src/config/Config.hs');
    ws.close();
  });
});

describe('results do not depend on the limit', () => {
  it('the first N of a longer list are the list for N', async () => {
    const dir = tempDir();
    writeSyntheticProject(dir, 60);
    const ws = openWorkspace([dir]);
    await ws.update();
    for (const q of ['handle request payload parts', 'large total for module 7', 'handleRequest12x3']) {
      const long = await ws.search(q, { limit: 90 });
      for (const n of [5, 10, 20, 60]) {
        const short = await ws.search(q, { limit: n });
        expect(short.hits.map((h) => h.chunkId)).toEqual(long.hits.slice(0, n).map((h) => h.chunkId));
      }
    }
    ws.close();
  });
});

describe('the definitions table', () => {
  it('follows the files: filled on indexing, emptied with a deleted file', async () => {
    const dir = tempDir(TREE);
    const dbPath = path.join(tempDir(), 'index.db');
    const ws = openWorkspace([dir], undefined, dbPath);
    await ws.update();
    const names = (): string[] => ws.indexStore.db.prepare('SELECT name FROM definitions ORDER BY name').pluck().all().map(String);
    expect(names()).toEqual(expect.arrayContaining(['Regenerator', 'regenerate?', 'applyFix', 'readSettings']));
    unlinkSync(path.join(dir, 'src/ShellCheck/Fixer.hs'));
    await ws.update();
    expect(names()).not.toContain('applyFix');
    ws.close();
  });

  it('is built for an index made before it existed (migration 3 re-chunks every file)', async () => {
    const dir = tempDir(TREE);
    const dbPath = path.join(tempDir(), 'index.db');
    const first = openWorkspace([dir], undefined, dbPath);
    await first.update();
    first.close();
    // What a version-2 index looks like: none of the tables later migrations add.
    const db = new Database(dbPath);
    toLayoutBeforeBlocks(db);
    const cache = withTextCacheKeys(db);
    db.exec(`DROP TABLE definitions; DROP TABLE vector_bit_blocks; DROP TABLE path_words; ALTER TABLE chunks DROP COLUMN fts_tokens;
      CREATE TABLE embed_cache (id INTEGER PRIMARY KEY, model TEXT NOT NULL, hash TEXT NOT NULL, vector BLOB NOT NULL, used_at INTEGER NOT NULL)`);
    const put = db.prepare('INSERT INTO embed_cache (model, hash, vector, used_at) VALUES (?, ?, ?, ?)');
    for (const row of cache) put.run(...row);
    db.pragma('user_version = 2');
    db.close();
    const again = openWorkspace([dir], undefined, dbPath);
    const summary = await again.update();
    expect(summary.filesIndexed).toBe(Object.keys(TREE).length);
    expect(again.indexStore.db.prepare("SELECT count(*) FROM definitions WHERE name = 'applyFix'").pluck().get()).toBe(1);
    expect(allBits(again.indexStore.db).size).toBe(again.indexStore.db.prepare('SELECT count(*) FROM chunks').pluck().get());
    again.close();
  });

  it('migrates an index of float vectors and per-chunk bits without embedding anything again', async () => {
    const dir = tempDir();
    writeSyntheticProject(dir, 30);
    const embedder = new DenseEmbedder(64);
    const dbPath = path.join(tempDir(), 'index.db');
    const first = openWorkspace([dir], embedder, dbPath);
    await first.update();
    const before = (await first.search('large payload split total module 7', { limit: 5 })).hits.map((h) => h.chunkId);
    first.close();
    // Schema 4: float vectors in the cache, a row of bits per chunk, no path-word counts.
    const db = new Database(dbPath);
    toLayoutBeforeBlocks(db);
    const cache = withTextCacheKeys(db);
    db.exec(`DROP TABLE vector_bit_blocks; DROP TABLE path_words; ALTER TABLE chunks DROP COLUMN fts_tokens;
      CREATE TABLE vector_bits (chunk_id INTEGER PRIMARY KEY, bits BLOB NOT NULL);
      CREATE TABLE embed_cache (id INTEGER PRIMARY KEY, model TEXT NOT NULL, hash TEXT NOT NULL, vector BLOB NOT NULL, used_at INTEGER NOT NULL);
      UPDATE meta SET value = 'float+bit-v1' WHERE key = 'vector_layout'`);
    const put = db.prepare('INSERT INTO embed_cache (model, hash, vector, used_at) VALUES (?, ?, ?, ?)');
    for (const row of cache) {
      if (!Array.isArray(row) || !Buffer.isBuffer(row[2])) continue;
      const floats = dequantize(row[2]);
      put.run(row[0], row[1], Buffer.from(floats.buffer), row[3]);
    }
    db.pragma('user_version = 4');
    db.close();
    const again = openWorkspace([dir], embedder, dbPath);
    const summary = await again.update();
    expect(summary.chunksEmbedded).toBe(0);
    const store = again.indexStore.db;
    expect(allBits(store).size).toBe(store.prepare('SELECT count(*) FROM chunks').pluck().get());
    expect(store.prepare('SELECT DISTINCT length(vector) FROM embed_cache').pluck().all()).toEqual([64]);
    // Cache keys compacted (migration 10): 16-byte hashes, the model by number.
    expect(store.prepare('SELECT DISTINCT typeof(hash) || length(hash) FROM chunks').pluck().all()).toEqual(['blob16']);
    expect(store.prepare('SELECT DISTINCT typeof(model) FROM embed_cache').pluck().all()).toEqual(['integer']);
    expect(Number(store.prepare("SELECT value FROM meta WHERE key = 'path_files'").pluck().get())).toBe(Number(store.prepare("SELECT count(*) FROM files WHERE status = 'indexed'").pluck().get()));
    expect((await again.search('large payload split total module 7', { limit: 5 })).hits.map((h) => h.chunkId)).toEqual(before);
    again.close();
  });
});

describe('the in-memory sign-bit scan', () => {
  it('finds the nearest by Hamming distance, and follows deletions and model changes', async () => {
    const dir = tempDir();
    writeSyntheticProject(dir, 80);
    const embedder = new DenseEmbedder(128);
    const dbPath = path.join(tempDir(), 'index.db');
    const ws = openWorkspace([dir], embedder, dbPath);
    await ws.update();
    const db = ws.indexStore.db;
    const hamming = (a: Buffer, b: Buffer): number => a.reduce((d, x, i) => d + popcount8(x ^ (b[i] ?? 0)), 0);
    const bitsOf = allBits(db);
    expect(bitsOf.size).toBe(db.prepare('SELECT count(*) FROM chunks').pluck().get());
    for (const q of ['large payload split total module 42', 'handles request kind 3']) {
      const qv = embedder.embedOne(q);
      const qBits = signBits(qv);
      const ours = hammingNearest(db, qv, 20);
      // The same distances at every rank as a brute-force scan (ids may differ only among ties).
      const brute = [...bitsOf.values()].map((b) => hamming(b, qBits)).sort((a, b) => a - b).slice(0, 20);
      expect(ours.map((id) => hamming(bitsOf.get(id) ?? Buffer.alloc(0), qBits)).sort((a, b) => a - b)).toEqual(brute);
    }
    // A deleted file's chunks leave the scan with the file.
    const gone = new Set(db.prepare("SELECT c.id FROM chunks c JOIN files f ON f.id = c.file_id WHERE f.path = 'src/module0/file3.ts'").pluck().all().map(Number));
    unlinkSync(path.join(dir, 'src/module0/file3.ts'));
    await ws.update();
    for (const q of ['handles request kind 3 for module 3', 'large total for module 3']) {
      expect(hammingNearest(db, embedder.embedOne(q), 400).filter((id) => gone.has(id))).toEqual([]);
    }
    expect(allBits(db).size).toBe(db.prepare('SELECT count(*) FROM chunks').pluck().get());
    ws.close();
    // Another model: bits of the old width are dropped and rebuilt at the new one.
    const other = new DenseEmbedder(64);
    const again = openWorkspace([dir], other, dbPath);
    await again.update();
    const widths = new Set([...allBits(again.indexStore.db).values()].map((b) => b.length));
    expect([...widths]).toEqual([8]);
    expect(hammingNearest(again.indexStore.db, other.embedOne('handles request'), 10)).toHaveLength(10);
    again.close();
  });
});

function popcount8(x: number): number {
  let c = 0;
  for (let v = x; v > 0; v >>= 1) c += v & 1;
  return c;
}

describe('stack frames in pasted issue text', () => {
  it('bring the chunk at the failing line forward, even when its words do not match', async () => {
    const files: Record<string, string> = {
      'src/store/cache.ts': `${Array.from({ length: 30 }, (_, i) => `export const slot${i} = ${i};`).join('\n')}\nexport function evictOldest(map: Map<string, number>): void {\n  const first = map.keys().next();\n  map.delete(first.value);\n}\n`,
      'src/config/loader.ts': 'export function loadConfig(text: string) {\n  // empty config file crash undefined properties: the config loader reads settings\n  return JSON.parse(text);\n}\n',
      'docs/config.md': '# Config\n\nAn empty config file crashes with undefined properties.\n',
    };
    const ws = openWorkspace([tempDir(files)]);
    await ws.update();
    const issue = `## Describe the bug\nWith an empty config file the app crashes with undefined properties when it starts up after an upgrade of the package, on every platform we tried so far.\n\n` +
      `TypeError: Cannot read properties of undefined (reading 'value')\n    at evictOldest (/home/ci/work/app/src/store/cache.ts:33:18)\n    at start (/home/ci/work/app/bin/main.js:3:1)\n\n## Expected\nNo crash.`;
    const { hits } = await ws.search(issue, { limit: 3 });
    expect(hits[0]?.relPath).toBe('src/store/cache.ts');
    expect(hits[0]?.startLine).toBeLessThanOrEqual(33);
    expect(hits[0]?.endLine).toBeGreaterThanOrEqual(33);
    ws.close();
  });
});
