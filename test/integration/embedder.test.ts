import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_MODEL, createEmbedder, modelsDir } from '../../src/engine/embed/createEmbedder';
import type { Embedder } from '../../src/engine/embed/embedder';
import { StaticGraph } from '../../src/engine/embed/staticGraph';
import { StaticOnnxEmbedder } from '../../src/engine/embed/staticOnnxEmbedder';
import { tempDir } from '../helpers/tmp';
import { openWorkspace } from '../helpers/workspace';

async function vectors(embedder: Embedder, texts: readonly string[]): Promise<readonly Float32Array[]> {
  const result = await embedder.embed(texts, 'document');
  if (result.status !== 'ok') throw new Error(result.status === 'error' ? result.message : 'cancelled');
  return result.vectors;
}

function cosine(a: Float32Array | undefined, b: Float32Array | undefined): number {
  if (a === undefined || b === undefined) return Number.NaN;
  return a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
}

describe('the built-in embedding model (ONNX via onnxruntime-node)', () => {
  it('ships within 30 MB', () => {
    const folder = path.join(modelsDir(), BUILTIN_MODEL);
    const bytes = ['model.onnx', 'vocab.json', 'meta.json'].reduce((sum, f) => sum + statSync(path.join(folder, f)).size, 0);
    expect(bytes).toBeLessThanOrEqual(30 * 1024 * 1024);
  });

  it('gives unit vectors, deterministically, the same alone or in a padded batch', async () => {
    const embedder = createEmbedder('builtin');
    const texts = ['export function parseQuery(qs: string) { return qs.split("&"); }', 'def slugify(title):\n    return title.lower()', 'x'];
    const batch = await vectors(embedder, texts);
    const again = await vectors(embedder, texts);
    const alone = await vectors(embedder, [texts[0] ?? '']);
    expect(batch).toHaveLength(3);
    expect(batch[0]?.length).toBe(embedder.dims);
    expect(cosine(batch[0], batch[0])).toBeCloseTo(1, 5);
    expect(Buffer.from(batch[1]?.buffer ?? new ArrayBuffer(0))).toEqual(Buffer.from(again[1]?.buffer ?? new ArrayBuffer(0)));
    for (let i = 0; i < embedder.dims; i++) expect(alone[0]?.[i]).toBeCloseTo(batch[0]?.[i] ?? Number.NaN, 5);
    await embedder.dispose();
  });

  it('evaluates its graph directly, as onnxruntime does, for queries and documents in bulk, and only its own graph', async () => {
    const embedder = createEmbedder('builtin');
    if (!(embedder instanceof StaticOnnxEmbedder)) throw new Error('the built-in model is a static one');
    const texts = ['how are retries scheduled after a timeout', 'parseConfig', 'spin_lock_irqsave interrupts', 'zzqx'];
    const documents = Array.from({ length: 80 }, (_, i) => `export function handler${i}(request) {\n  return request.query.page_${i % 7} ?? readConfig('limit');\n}`);
    const runtime = await embedder.embedWithRuntime([...texts, ...documents]);
    const byRuntime = runtime.status === 'ok' ? runtime.vectors : [];
    expect(byRuntime).toHaveLength(texts.length + documents.length);
    // A few texts read their rows from the file; 80 use the table held in memory; a worker thread embeds the same way.
    const direct = await embedder.embed(texts, 'query');
    const bulk = await embedder.embed(documents, 'document');
    const inThread = embedder.embedNow(documents) ?? [];
    const all = [...(direct.status === 'ok' ? direct.vectors : []), ...(bulk.status === 'ok' ? bulk.vectors : [])];
    expect(all).toHaveLength(byRuntime.length);
    all.forEach((v, t) => {
      for (let i = 0; i < embedder.dims; i++) expect(v[i]).toBeCloseTo(byRuntime[t]?.[i] ?? Number.NaN, 6);
    });
    expect(inThread.map((v) => [...v])).toEqual(all.slice(texts.length).map((v) => [...v]));
    await embedder.dispose();
    // Another graph (here: its last node's output renamed) is not recognised.
    const folder = path.join(modelsDir(), BUILTIN_MODEL);
    const bytes = readFileSync(path.join(folder, 'model.onnx'));
    expect(StaticGraph.open(path.join(folder, 'model.onnx'), 256)).not.toBeNull();
    const changed = tempDir({ 'model.onnx': Buffer.from(bytes.toString('latin1').replace('Div', 'Mul'), 'latin1') });
    expect(StaticGraph.open(path.join(changed, 'model.onnx'), 256)).toBeNull();
    expect(StaticGraph.open(path.join(folder, 'model.onnx'), 128)).toBeNull();
  });

  it("lets other threads embed from one copy of its table, in shared memory", async () => {
    const file = path.join(modelsDir(), BUILTIN_MODEL, 'model.onnx');
    const own = StaticGraph.open(file, 256, { resident: true, shared: true });
    const table = own?.sharedTable() ?? null;
    if (own === null || table === null) throw new Error('the built-in graph holds its table in shared memory');
    const borrowed = StaticGraph.open(file, 256, { table });
    const byRows = StaticGraph.open(file, 256);
    const bag: Array<[number, number]> = [[5, 2], [1234, 1], [99_000, 3]];
    expect([...(borrowed?.embed(bag) ?? [])]).toEqual([...own.embed(bag)]);
    expect([...(byRows?.embed(bag) ?? [])]).toEqual([...own.embed(bag)]);
    // A table of another size is not this graph's.
    expect(StaticGraph.open(file, 256, { table: new SharedArrayBuffer(table.byteLength - 256) })).toBeNull();
    // The embedder hands its workers that table.
    const embedder = createEmbedder('builtin');
    if (!(embedder instanceof StaticOnnxEmbedder)) throw new Error('the built-in model is a static one');
    expect(embedder.threadEmbedding().table?.byteLength).toBe(table.byteLength);
    own.close();
    borrowed?.close();
    byRows?.close();
    await embedder.dispose();
  });

  it('is identifier-aware: getUserById is close to "get user by id"', async () => {
    const embedder = createEmbedder('builtin');
    const [id, words, other] = await vectors(embedder, ['getUserById', 'get user by id', 'render the chart legend colours']);
    expect(cosine(id, words)).toBeGreaterThan(0.8);
    expect(cosine(id, words)).toBeGreaterThan(cosine(id, other) + 0.3);
    await embedder.dispose();
  });

  it('relates a description to code that shares few words with it', async () => {
    const embedder = createEmbedder('builtin');
    const [query, match, unrelated] = await vectors(embedder, [
      'remove duplicate values from an array',
      'function uniq(list) {\n  return Array.from(new Set(list));\n}',
      'function drawCircle(ctx, radius) {\n  ctx.arc(0, 0, radius, 0, Math.PI * 2);\n}',
    ]);
    expect(cosine(query, match)).toBeGreaterThan(cosine(query, unrelated));
    await embedder.dispose();
  });

  it('is what an index uses by default, and the index records it', async () => {
    const embedder = createEmbedder(undefined);
    const ws = openWorkspace([tempDir({ 'a.ts': 'export function getUserById(id: string) {\n  return db.users.find(id);\n}\n' })], embedder);
    await ws.update();
    expect(ws.status().model).toBe(embedder.id);
    expect(embedder.id).toMatch(/^sourceline-code-v2@[0-9a-f]{12}$/);
    const hit = (await ws.search('look up a user by identifier', { limit: 1, retrievers: ['vector'] })).hits[0];
    expect(hit?.relPath).toBe('a.ts');
    ws.close();
    await embedder.dispose();
  });

  it('says clearly when a model folder is not a model', () => {
    expect(() => createEmbedder(tempDir({ 'readme.txt': 'hi' }))).toThrow(/Unknown embedding model .*Use "builtin", "hash", or a folder holding an ONNX model/);
  });
});
