import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';
import { indexedWrite } from '../helpers/fileWrites';
import { IndexStore, type FileWrite } from '../../src/engine/store/indexStore';
import { EXACT_SEARCH_MAX_CHUNKS, EXACT_TABLE_MAX_CHUNKS, exactTableMirrors } from '../../src/engine/store/exactTable';
import { storedVectorCount } from '../../src/engine/store/bitBlocks';
import { vectorSearch } from '../../src/engine/retrieve/vector';
import { cosineToStored, dequantize, quantize } from '../../src/engine/store/vectors';
import { readStatus } from '../../src/engine/store/status';

const DIMS = 64;
const CHUNKS_PER_FILE = 100;

/** A deterministic unit vector per chunk number, so the index is the same every run. */
function vectorOf(n: number): Float32Array {
  const v = new Float32Array(DIMS);
  let x = n + 1;
  let norm = 0;
  for (let j = 0; j < DIMS; j++) {
    // mulberry32: 32-bit integer steps, so no two chunks share a vector.
    x = (x + 0x6d2b79f5) | 0;
    let t = Math.imul(x ^ (x >>> 15), 1 | x);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    v[j] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
    norm += (v[j] ?? 0) ** 2;
  }
  return v.map((c) => c / Math.sqrt(norm));
}

function fileWrite(rootId: number, fileNo: number): FileWrite {
  const relPath = `src/f${fileNo}.ts`;
  const chunks = Array.from({ length: CHUNKS_PER_FILE }, (_, i) => ({ startLine: i + 1, endLine: i + 1, kind: 'block' as const, symbol: '', context: relPath, text: `value${fileNo * CHUNKS_PER_FILE + i}` }));
  return indexedWrite(rootId, { relPath, size: 1, hash: `h${fileNo}` }, chunks, (i) => vectorOf(fileNo * CHUNKS_PER_FILE + i));
}

function vecRows(store: IndexStore): number {
  return Number(store.db.prepare('SELECT count(*) FROM chunks_vec').pluck().get());
}

/** The 5 nearest stored vectors, compared as sqlite-vec compares them: the int8 query against the int8 vectors. */
function bruteForce(store: IndexStore, modelId: string, query: Float32Array): number[] {
  const q8 = dequantize(quantize(query));
  return store.db.prepare('SELECT c.id, e.vector FROM chunks c JOIN embed_cache e ON e.hash = c.hash JOIN models m ON m.id = e.model WHERE m.name = ?').raw().all(modelId)
    .map((r) => (Array.isArray(r) && Buffer.isBuffer(r[1]) ? { id: Number(r[0]), cos: cosineToStored(q8, r[1]) } : { id: -1, cos: -2 }))
    .sort((a, b) => b.cos - a.cos)
    .slice(0, 5)
    .map((x) => x.id);
}

const MODEL = { id: 'test-64', dims: DIMS };

/** A new index for MODEL, with one root. */
function emptyIndex(): { store: IndexStore; model: typeof MODEL; rootId: number } {
  const dir = tempDir({});
  const store = IndexStore.open(path.join(dir, 'index.db'), { quickCheck: false });
  store.useModel(MODEL);
  return { store, model: MODEL, rootId: store.ensureRoot({ name: 'r', path: dir }) };
}

describe("sqlite-vec's table on a growing and shrinking index", () => {
  it('is emptied once the index outgrows exact search, and filled again from the cache once it is small', () => {
    const { store, model, rootId } = emptyIndex();
    const files = Math.ceil(EXACT_TABLE_MAX_CHUNKS / CHUNKS_PER_FILE) + 10;
    for (let f = 0; f < files; f += 50) store.write(model.id, Array.from({ length: Math.min(50, files - f) }, (_, i) => fileWrite(rootId, f + i)));

    // Past the limit: every vector is still stored (bits and cache), sqlite-vec's copy is gone.
    expect(storedVectorCount(store.db)).toBe(files * CHUNKS_PER_FILE);
    expect(exactTableMirrors(store.db)).toBe(false);
    expect(vecRows(store)).toBe(0);
    expect(readStatus(store.db, 0).vectors).toBe(files * CHUNKS_PER_FILE);
    // The approximate path finds a stored chunk's own vector.
    const approximate = vectorSearch(store.db, model.id, vectorOf(777), 10);
    expect(approximate).toHaveLength(10);
    expect(approximate[0]?.raw).toBeCloseTo(0, 3);

    const query = vectorOf(123_456);
    // Exact search, asked for, scans the cache instead.
    expect(vectorSearch(store.db, model.id, query, 5, { exactMaxChunks: Infinity }).map((r) => r.chunkId)).toEqual(bruteForce(store, model.id, query));

    // A further save does not write the table.
    store.write(model.id, [fileWrite(rootId, files)]);
    expect(vecRows(store)).toBe(0);

    // Shrunk to exact search's size: refilled, and exact search answers from it.
    const keep = Math.floor(EXACT_SEARCH_MAX_CHUNKS / CHUNKS_PER_FILE);
    const ids = store.db.prepare('SELECT id FROM files WHERE path NOT IN (SELECT path FROM files ORDER BY id LIMIT ?)').pluck().all(keep).map(Number);
    store.write(model.id, ids.map((fileId) => ({ type: 'deleted', fileId })));
    store.restoreExactTable(model);
    expect(exactTableMirrors(store.db)).toBe(true);
    expect(vecRows(store)).toBe(keep * CHUNKS_PER_FILE);
    // Exact over what is stored: the int8 query against the int8 vectors, as sqlite-vec compares them.
    expect(vectorSearch(store.db, model.id, query, 5).map((r) => r.chunkId)).toEqual(bruteForce(store, model.id, query));
    store.close();
  }, 120_000);
});

describe('the embedding cache', () => {
  it('keeps the vectors of live chunks when pruned, and drops the others', () => {
    const { store, model, rootId } = emptyIndex();
    store.write(model.id, [fileWrite(rootId, 0), fileWrite(rootId, 1)]);
    const cached = (): number => Number(store.db.prepare('SELECT count(*) FROM embed_cache').pluck().get());
    expect(cached()).toBe(2 * CHUNKS_PER_FILE);
    const fileId = Number(store.db.prepare("SELECT id FROM files WHERE path = 'src/f1.ts'").pluck().get());
    store.write(model.id, [{ type: 'deleted', fileId }]);
    expect(cached()).toBe(2 * CHUNKS_PER_FILE);
    // A negative age makes every entry old enough: only the deleted file's vectors go.
    expect(store.pruneCache(-60_000)).toBe(CHUNKS_PER_FILE);
    expect(cached()).toBe(CHUNKS_PER_FILE);
    expect(store.cachedVector(model.id, hashOfFirstChunk(fileWrite(rootId, 0)))).not.toBeNull();
    expect(store.cachedVector(model.id, hashOfFirstChunk(fileWrite(rootId, 1)))).toBeNull();
    store.close();
  });
});

function hashOfFirstChunk(op: FileWrite): string {
  return op.type === 'indexed' ? (op.chunks[0]?.hash ?? '') : '';
}
