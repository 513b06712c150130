import { rmSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeFiles } from '../helpers/tmp';
import { CountingEmbedder, DenseEmbedder, openWorkspace } from '../helpers/workspace';
import { writeSyntheticProject } from '../helpers/corpus';
import { embedTextOf } from '../../src/engine/store/indexStore';
import { FEATURE_NAMES } from '../../src/engine/retrieve/features';
import { readChunks } from '../../src/engine/store/readChunks';
import { vectorSearch } from '../../src/engine/retrieve/vector';
import { cosineToStored, dequantize, quantize } from '../../src/engine/store/vectors';

function dot(a: Float32Array, b: Float32Array): number {
  return a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
}

const AUTH = `/** Parses an HTTP response into status and headers. */
export function parseHTTPResponse(raw: string): { status: number } {
  const status = Number(raw.slice(9, 12));
  return { status };
}
`;
const USERS = `export function get_user_by_id(id: string): string {
  return 'user:' + id;
}
`;

describe('incremental indexing', () => {
  it('re-reads only changed files and re-embeds only new chunk texts', async () => {
    const dir = tempDir({ 'src/auth.ts': AUTH, 'src/users.ts': USERS, 'README.md': '# Demo\n\nA demo.\n' });
    const embedder = new CountingEmbedder();
    const ws = openWorkspace([dir], embedder);
    const first = await ws.update();
    expect(first.filesIndexed).toBe(3);
    const embeddedFirst = embedder.documents;
    expect(embeddedFirst).toBe(first.chunksWritten);

    const again = await ws.update();
    expect(again.filesIndexed).toBe(0);
    expect(again.filesUnchanged).toBe(3);
    expect(embedder.documents).toBe(embeddedFirst);

    // A touch with the same bytes: read and hashed, not re-chunked.
    const future = new Date(Date.now() + 5000);
    utimesSync(path.join(dir, 'src/users.ts'), future, future);
    const touched = await ws.update();
    expect(touched.filesIndexed).toBe(0);
    expect(embedder.documents).toBe(embeddedFirst);

    writeFileSync(path.join(dir, 'src/users.ts'), `${USERS}\nexport const ADMIN = 'root';\n`);
    const changed = await ws.update();
    expect(changed.filesIndexed).toBe(1);
    expect(changed.chunksEmbedded).toBeGreaterThan(0);
    expect(changed.chunksEmbedded).toBeLessThan(first.chunksWritten);
    ws.close();
  });

  it('serves a revert from the embedding cache (no model calls)', async () => {
    const dir = tempDir({ 'a.ts': AUTH });
    const embedder = new CountingEmbedder();
    const ws = openWorkspace([dir], embedder);
    await ws.update();
    const before = embedder.documents;
    writeFileSync(path.join(dir, 'a.ts'), AUTH.replace('Parses', 'Reads'));
    await ws.update();
    const afterEdit = embedder.documents;
    expect(afterEdit).toBeGreaterThan(before);
    writeFileSync(path.join(dir, 'a.ts'), AUTH);
    const reverted = await ws.update();
    expect(reverted.filesIndexed).toBe(1);
    expect(reverted.chunksEmbedded).toBe(0);
    expect(embedder.documents).toBe(afterEdit);
    ws.close();
  });

  it('removes deleted and renamed files from results', async () => {
    const dir = tempDir({ 'src/auth.ts': AUTH, 'src/users.ts': USERS });
    const ws = openWorkspace([dir]);
    await ws.update();
    expect((await ws.search('parseHTTPResponse', { limit: 5 })).hits[0]?.relPath).toBe('src/auth.ts');
    renameSync(path.join(dir, 'src/auth.ts'), path.join(dir, 'src/http.ts'));
    rmSync(path.join(dir, 'src/users.ts'));
    const summary = await ws.update();
    expect(summary.filesDeleted).toBe(2);
    const hits = (await ws.search('parseHTTPResponse get_user_by_id', { limit: 10 })).hits;
    expect(hits.map((h) => h.relPath)).toEqual(['src/http.ts']);
    expect(ws.status().filesIndexed).toBe(1);
    ws.close();
  });

  it('re-embeds everything when the model changes, and records the model', async () => {
    const dir = tempDir({ 'a.ts': AUTH, 'b.ts': USERS });
    const db = path.join(tempDir(), 'index.db');
    const first = openWorkspace([dir], new CountingEmbedder(64), db);
    await first.update();
    first.close();
    const other = new CountingEmbedder(32);
    const second = openWorkspace([dir], other, db);
    const summary = await second.update();
    expect(summary.filesIndexed).toBe(0);
    expect(other.documents).toBe(second.status().chunks);
    expect(second.status()).toMatchObject({ model: 'hash-v1-32', dims: 32, vectors: second.status().chunks });
    second.close();
  });

  it('a failing model loses nothing: lexical index now, vectors on the next run that works', async () => {
    const dir = tempDir({ 'src/auth.ts': AUTH, 'src/users.ts': USERS });
    const embedder = new CountingEmbedder();
    embedder.failing = true;
    const ws = openWorkspace([dir], embedder);
    const broken = await ws.update();
    expect(broken.degraded).toMatch(/the embedding model hash-v1-64 failed: .*lexical search only/);
    expect(ws.status()).toMatchObject({ filesIndexed: 2, vectors: 0 });
    expect((await ws.search('parseHTTPResponse', { limit: 3, retrievers: ['lexical'] })).hits[0]?.relPath).toBe('src/auth.ts');
    embedder.failing = false;
    const healed = await ws.update();
    expect(healed.degraded).toBeNull();
    expect(healed.filesIndexed).toBe(0);
    expect(healed.chunksEmbedded).toBe(ws.status().chunks);
    expect(ws.status().vectors).toBe(ws.status().chunks);
    ws.close();
  });

  it('indexes several roots into one index with paths relative to each root', async () => {
    const a = tempDir({ 'lib/auth.ts': AUTH });
    const b = tempDir({ 'lib/users.ts': USERS });
    const ws = openWorkspace([a, b]);
    await ws.update();
    const hits = (await ws.search('get user by id', { limit: 3 })).hits;
    expect(hits[0]?.relPath).toBe('lib/users.ts');
    expect(hits[0]?.displayPath).toBe(`${path.basename(b)}/lib/users.ts`);
    expect(ws.status().roots.map((r) => r.files)).toEqual([1, 1]);
    ws.close();
  });
});

describe('hybrid search', () => {
  const files = {
    'src/http/parse.ts': AUTH,
    'src/users.ts': USERS,
    'src/http/parse.test.ts': `import { parseHTTPResponse } from './parse';\ntest('parses', () => {\n  expect(parseHTTPResponse('HTTP/1.1 200 OK').status).toBe(200);\n});\n`,
    'docs/http.md': '# HTTP\n\nparseHTTPResponse parses an HTTP response.\n',
  };

  it('finds identifiers whole and by their parts (camelCase, snake_case)', async () => {
    const ws = openWorkspace([tempDir(files)]);
    await ws.update();
    for (const q of ['parseHTTPResponse', 'parse http response', 'get_user_by_id', 'get user by id']) {
      const hit = (await ws.search(q, { limit: 3, retrievers: ['lexical'] })).hits[0];
      expect(hit?.relPath, q).toBe(q.includes('user') ? 'src/users.ts' : 'src/http/parse.ts');
    }
    ws.close();
  });

  it('ranks tests and docs below the source unless the query asks for them', async () => {
    const ws = openWorkspace([tempDir(files)]);
    await ws.update();
    const plain = (await ws.search('parseHTTPResponse', { limit: 5 })).hits.map((h) => h.relPath);
    expect(plain[0]).toBe('src/http/parse.ts');
    const tests = (await ws.search('tests for parseHTTPResponse', { limit: 5 })).hits.map((h) => h.relPath);
    expect(tests[0]).toBe('src/http/parse.test.ts');
    const docs = (await ws.search('parseHTTPResponse docs', { limit: 5 })).hits.map((h) => h.relPath);
    expect(docs[0]).toBe('docs/http.md');
    ws.close();
  });

  it('reports which retrievers found each hit; vector-only still finds chunks', async () => {
    const ws = openWorkspace([tempDir(files)]);
    await ws.update();
    const hit = (await ws.search('parse HTTP response status', { limit: 3 })).hits[0];
    expect(hit?.sources).toEqual(['lexical', 'vector']);
    const vectorOnly = (await ws.search('user id lookup', { limit: 3, retrievers: ['vector'] })).hits;
    expect(vectorOnly[0]?.sources).toEqual(['vector']);
    expect(vectorOnly[0]?.relPath).toBe('src/users.ts');
    ws.close();
  });

  it('a partial run (only the edited files, no walk) indexes editor text and leaves everything else alone', async () => {
    const dir = tempDir({ 'src/a.ts': 'export const alphaValue = 1;\n', 'src/b.ts': 'export const betaValue = 2;\n', 'src/c.ts': 'export const gammaValue = 3;\n' });
    const ws = openWorkspace([dir]);
    await ws.update();
    writeFileSync(path.join(dir, 'src', 'a.ts'), 'export const zetaRewritten = 1;\n');
    rmSync(path.join(dir, 'src', 'c.ts'));
    const b = path.join(dir, 'src', 'b.ts');
    const summary = await ws.update(undefined, undefined, new Map([[b, 'export function betaTypedInEditor() {\n  return 2;\n}\n']]), new Set([b, path.join(dir, 'src', 'new.ts')]));
    expect(summary).toMatchObject({ filesSeen: 1, filesIndexed: 1, filesDeleted: 0 });
    const found = async (q: string): Promise<string[]> => (await ws.search(q, { limit: 5, retrievers: ['lexical'] })).hits.map((h) => h.relPath);
    expect(await found('betaTypedInEditor')).toContain('src/b.ts');
    // Not walked: the disk change and the deletion wait for the next full run.
    expect(await found('zetaRewritten')).toEqual([]);
    expect(await found('gammaValue')).toContain('src/c.ts');
    await ws.update();
    expect(await found('zetaRewritten')).toContain('src/a.ts');
    expect(await found('gammaValue')).not.toContain('src/c.ts');
    ws.close();
  });

  it('orders by the learned fusion when the model has one: its weights decide which retriever leads', async () => {
    const dir = tempDir();
    writeSyntheticProject(dir, 60);
    const ws = openWorkspace([dir]);
    await ws.update();
    const q = 'handle request cache entry';
    const only = async (retriever: 'lexical' | 'vector'): Promise<number[]> => (await ws.search(q, { limit: 5, retrievers: [retriever] })).hits.map((h) => h.chunkId);
    const learned = async (feature: string): Promise<number[]> =>
      (await ws.search(q, { limit: 5, fusion: { method: 'rrf', lexical: 1, vector: 1, k: 10, reranker: { features: [feature], weights: [20] } } })).hits.map((h) => h.chunkId);
    const lexical = await only('lexical');
    const vector = await only('vector');
    expect(lexical[0]).not.toBe(vector[0]);
    expect((await learned('lexicalRank'))[0]).toBe(lexical[0]);
    expect((await learned('vectorRank'))[0]).toBe(vector[0]);
    const seen: number[] = [];
    await ws.search(q, { limit: 5, onCandidates: (c) => seen.push(...c.map((x) => x.features.length)) });
    expect(new Set(seen)).toEqual(new Set([FEATURE_NAMES.length]));
    ws.close();
  });

  it('vector search: exact below the size threshold; binary scan + exact rescoring above it', async () => {
    const dir = tempDir();
    writeSyntheticProject(dir, 120);
    // Dense vectors (sign bits approximate angles for dense embeddings, as learned models give).
    const embedder = new DenseEmbedder(128);
    const ws = openWorkspace([dir], embedder);
    await ws.update();
    const db = ws.indexStore.db;
    const all = readChunks(db, db.prepare('SELECT id FROM chunks').pluck().all().map(Number));
    expect(all.length).toBeGreaterThan(400);
    for (const q of ['large payload split total module 42', 'handles request kind 3', 'small input id']) {
      const qv = embedder.embedOne(q);
      const top5 = (sim: (v: Float32Array) => number): number[] => all
        .map((c) => ({ id: c.id, sim: sim(embedder.embedOne(embedTextOf(c))) }))
        .sort((a, b) => b.sim - a.sim)
        .slice(0, 5)
        .map((x) => x.id);
      // Exact over what is stored (int8 query against int8 vectors, as sqlite-vec compares them)…
      const exact = top5((v) => cosineToStored(dequantize(quantize(qv)), quantize(v)));
      expect(vectorSearch(db, embedder.id, qv, 5).map((r) => r.chunkId), `exact: ${q}`).toEqual(exact);
      // …which loses little against float vectors.
      expect(top5((v) => dot(qv, v)).filter((id) => exact.includes(id)).length, `int8: ${q}`).toBeGreaterThanOrEqual(4);
      // The approximate path ranks its candidates by exact cosine, and finds most of the true top 5.
      const approx = vectorSearch(db, embedder.id, qv, 5, { exactMaxChunks: 0 });
      const sims = approx.map((r) => 1 - r.raw);
      expect(sims).toEqual([...sims].sort((a, b) => b - a));
      expect(approx.filter((r) => exact.includes(r.chunkId)).length, `approximate: ${q}`).toBeGreaterThanOrEqual(4);
    }
    ws.close();
  });

  it('diversifies by file: one file cannot fill the top results', async () => {
    const many = Array.from({ length: 8 }, (_, i) => `export function cacheEntry${i}(key: string) {\n  // cache lookup for entry ${i}\n  const hit = store.get(key);\n  if (!hit) return null;\n  log('cache', key);\n  return hit;\n}\n\n`).join('');
    const dir = tempDir({ 'src/cache.ts': many, 'src/store.ts': `export function cacheLookup(key: string) {\n  return cacheStore.get(key);\n}\n` });
    const ws = openWorkspace([dir]);
    await ws.update();
    const top = (await ws.search('cache lookup', { limit: 3 })).hits.map((h) => h.relPath);
    expect(top).toContain('src/store.ts');
    ws.close();
  });

  it('returns nothing, without error, for an empty or stopword-only query', async () => {
    const ws = openWorkspace([tempDir(files)]);
    await ws.update();
    expect((await ws.search('the of and', { limit: 3, retrievers: ['lexical'] })).hits).toEqual([]);
    writeFiles(tempDir(), {});
    ws.close();
  });
});
