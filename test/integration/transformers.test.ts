import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmbedder } from '../../src/engine/embed/createEmbedder';
import type { Embedder } from '../../src/engine/embed/embedder';
import { TransformersEmbedder } from '../../src/engine/embed/transformersEmbedder';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { writeTinyBert } from '../helpers/tinyBert';
import { CountingEmbedder, openWorkspace } from '../helpers/workspace';

function modelFolder(options: Parameters<typeof writeTinyBert>[1] = {}): string {
  const folder = path.join(tempDir(), 'tiny-bert');
  writeTinyBert(folder, options);
  return folder;
}

async function vectors(embedder: Embedder, texts: readonly string[], role: 'query' | 'document' = 'document'): Promise<readonly Float32Array[]> {
  const result = await embedder.embed(texts, role);
  if (result.status !== 'ok') throw new Error(result.status === 'error' ? result.message : 'cancelled');
  return result.vectors;
}

describe('standard Hugging Face ONNX models from a local folder (@xenova/transformers, offline)', () => {
  it('loads a random-weight BERT the suite built itself, with mean pooling, normalised, batched, truncated', async () => {
    const embedder = createEmbedder(modelFolder());
    expect(embedder).toBeInstanceOf(TransformersEmbedder);
    expect(embedder.dims).toBe(32);
    expect(embedder.id).toMatch(/^hf:tiny-bert@[0-9a-f]{12}$/);
    const long = 'parse the query string '.repeat(40);
    const [a, b, c] = await vectors(embedder, ['parse query string', 'get user by id', long]);
    const [alone] = await vectors(embedder, ['get user by id']);
    for (const v of [a, b, c]) expect(v?.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 5);
    for (let i = 0; i < 32; i++) expect(alone?.[i]).toBeCloseTo(b?.[i] ?? Number.NaN, 5);
    expect(Array.from(a ?? [])).not.toEqual(Array.from(b ?? []));
  });

  it('follows the folder: CLS pooling from 1_Pooling/config.json, query/document prefixes from sourceline.json', async () => {
    const mean = createEmbedder(modelFolder({ seed: 7 }));
    const clsFolder = modelFolder({ seed: 7, pooling: 'cls' });
    const cls = createEmbedder(clsFolder);
    expect(cls.id).not.toBe(mean.id);
    const [m] = await vectors(mean, ['parse query string']);
    const [c] = await vectors(cls, ['parse query string']);
    expect(Array.from(c ?? [])).not.toEqual(Array.from(m ?? []));
    // (The tiny model has no attention, so a CLS vector ignores other tokens: prefixes show under mean pooling.)
    const meanFolder = modelFolder({ seed: 7 });
    writeFileSync(path.join(meanFolder, 'sourceline.json'), JSON.stringify({ queryPrefix: 'get ', documentPrefix: 'render ' }));
    const prefixed = createEmbedder(meanFolder);
    expect(prefixed.id).not.toBe(mean.id);
    const [q] = await vectors(prefixed, ['user id'], 'query');
    const [d] = await vectors(prefixed, ['user id'], 'document');
    expect(Array.from(q ?? [])).not.toEqual(Array.from(d ?? []));
  });

  it('indexes with it; changing the model re-embeds, and the index records which model made it', async () => {
    const root = tempDir({ 'a.ts': 'export function getUserById(id: string) {\n  return users.get(id);\n}\n' });
    const db = path.join(tempDir(), 'i.db');
    const first = openWorkspace([root], new CountingEmbedder(32), db);
    await first.update();
    first.close();
    const hf = createEmbedder(modelFolder());
    const second = openWorkspace([root], hf, db);
    const summary = await second.update();
    expect(summary.chunksEmbedded).toBe(second.status().chunks);
    expect(second.status()).toMatchObject({ model: hf.id, dims: 32 });
    expect((await second.search('get user by id', { limit: 1, retrievers: ['vector'] })).hits[0]?.relPath).toBe('a.ts');
    second.close();
  });

  it('works from the CLI with --embedding-model DIR', () => {
    const root = tempDir({ 'a.ts': 'export const parseQuery = (s: string) => s.split("&");\n' });
    const folder = modelFolder();
    const run = runCli(['index', '--root', root, '--db', path.join(tempDir(), 'i.db'), '--embedding-model', folder]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Indexed 1 files/);
  });
});
