import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HashEmbedder } from '../../src/engine/embed/hashEmbedder';
import { createEmbedder } from '../../src/engine/embed/createEmbedder';
import type { Embedder } from '../../src/engine/embed/embedder';
import { indexRoots, type IndexProgress, type IndexSummary } from '../../src/engine/indexer';
import { POOL_MIN_FILES } from '../../src/engine/indexing/preparePool';
import { allBits } from '../../src/engine/store/bitBlocks';
import { IndexStore } from '../../src/engine/store/indexStore';
import { DEFAULT_WALK_OPTIONS } from '../../src/engine/walk/walk';
import { writeSyntheticProject } from '../helpers/corpus';
import { tempDir, writeFiles } from '../helpers/tmp';
import { readChunks } from '../../src/engine/store/readChunks';

/** Everything a search can see, ids included (ties are broken by chunk id). */
function snapshot(store: IndexStore): unknown {
  const all = (sql: string): unknown[] => store.db.prepare(sql).all();
  return {
    files: all('SELECT id, path, size, hash, language, status, reason, redacted FROM files ORDER BY id'),
    chunks: all('SELECT id, file_id, start_line, end_line, kind, symbol, context, text, block, slot, hash FROM chunks ORDER BY id'),
    blocks: all('SELECT id, file_id, hex(body) AS body FROM chunk_blocks ORDER BY id'),
    bodies: readChunks(store.db, store.db.prepare('SELECT id FROM chunks ORDER BY id').pluck().all().map(Number)).map((c) => [c.context, c.text]),
    fts: all('SELECT rowid, path, symbol, body FROM chunks_fts ORDER BY rowid'),
    definitions: all('SELECT name, chunk_id, line FROM definitions ORDER BY chunk_id, name'),
    bits: [...allBits(store.db)].map(([id, bits]) => [id, bits.toString('hex')]),
    vectors: all('SELECT chunk_id, hex(embedding) AS v FROM chunks_vec ORDER BY chunk_id'),
    pathWords: all('SELECT word, files FROM path_words ORDER BY word'),
  };
}

async function indexWith(root: string, threads: number, embedder: Embedder = new HashEmbedder(64)): Promise<{ summary: IndexSummary; store: IndexStore }> {
  const store = IndexStore.open(path.join(tempDir(), 'index.db'), { quickCheck: false });
  const summary = await indexRoots(store, { roots: [{ name: 'project', path: root }], walk: DEFAULT_WALK_OPTIONS, embedder, threads });
  return { summary, store };
}

describe('indexing with a pool of worker threads', () => {
  it('builds exactly the index the indexer thread builds alone: same rows, same ids, same skips', async () => {
    const root = tempDir();
    writeSyntheticProject(root, POOL_MIN_FILES + 40);
    writeFiles(root, {
      'config/deploy.ts': `export const token = "ghp_${'a1B2c3D4e5'.repeat(3)}abcdef";\nexport function deploy(): string {\n  return token;\n}\n`,
      'lib/app.js': 'var a=1;'.repeat(3000),
      'docs/guide.md': '# Guide\n\nHow requests are handled.\n\n## Retries\n\nEvery request is retried twice.\n',
      'tools/build.go': 'package tools\n\n// Build compiles the project.\nfunc Build() error {\n\treturn nil\n}\n',
    });
    const alone = await indexWith(root, 0);
    const pooled = await indexWith(root, 2);
    expect(alone.summary.threads).toBe(0);
    expect(pooled.summary.threads).toBe(2);
    expect(pooled.summary.filesIndexed).toBe(alone.summary.filesIndexed);
    expect(pooled.summary.skipped).toEqual(alone.summary.skipped);
    expect(pooled.summary.skipped.minified).toBe(1);
    const want = snapshot(alone.store);
    expect(snapshot(pooled.store)).toEqual(want);
    expect(JSON.stringify(want)).toContain('«redacted: github-token»');
    alone.store.close();
    pooled.store.close();
  });

  it('embeds in the workers with the built-in model: the vectors the indexer thread computes alone', async () => {
    const root = tempDir();
    writeSyntheticProject(root, POOL_MIN_FILES + 10);
    const embedder = createEmbedder('builtin');
    const alone = await indexWith(root, 0, embedder);
    const pooled = await indexWith(root, 2, embedder);
    expect(pooled.summary.threads).toBe(2);
    expect(pooled.summary.chunksEmbedded).toBe(alone.summary.chunksEmbedded);
    expect(pooled.summary.chunksEmbedded).toBeGreaterThan(POOL_MIN_FILES);
    expect(snapshot(pooled.store)).toEqual(snapshot(alone.store));
    alone.store.close();
    pooled.store.close();
    await embedder.dispose();
  });

  it('keeps a small update on the indexer thread, and a second pooled run changes nothing', async () => {
    const root = tempDir();
    writeSyntheticProject(root, POOL_MIN_FILES + 10);
    const { store, summary } = await indexWith(root, 2);
    expect(summary.threads).toBe(2);
    writeFiles(root, { 'src/module0/file0.ts': 'export function changedOnly(): number {\n  return 1;\n}\n' });
    const again = await indexRoots(store, { roots: [{ name: 'project', path: root }], walk: DEFAULT_WALK_OPTIONS, embedder: new HashEmbedder(64), threads: 2 });
    expect(again.threads).toBe(0);
    expect(again.filesIndexed).toBe(1);
    expect(again.filesUnchanged).toBe(summary.filesIndexed - 1);
    store.close();
  });

  it('starts the pool for changes spread over a big tree, and writes what the indexer thread writes alone', async () => {
    const root = tempDir();
    writeSyntheticProject(root, POOL_MIN_FILES * 3);
    const alone = await indexWith(root, 0);
    const pooled = await indexWith(root, 2);
    // Every other file changes: the pool is chosen only once enough of them have been walked.
    const changed: Record<string, string> = {};
    for (let i = 1; i < POOL_MIN_FILES * 3; i += 2) changed[`src/module${Math.floor(i / 50)}/file${i}.ts`] = `export function changed${i}(): number {\n  return ${i};\n}\n`;
    writeFiles(root, changed);
    const rerun = (store: IndexStore, threads: number): Promise<IndexSummary> => indexRoots(store, { roots: [{ name: 'project', path: root }], walk: DEFAULT_WALK_OPTIONS, embedder: new HashEmbedder(64), threads });
    const [inline, spread] = [await rerun(alone.store, 0), await rerun(pooled.store, 2)];
    expect(spread.threads).toBe(2);
    expect(spread.filesIndexed).toBe(Object.keys(changed).length);
    expect(spread.filesUnchanged).toBe(inline.filesUnchanged);
    expect(snapshot(pooled.store)).toEqual(snapshot(alone.store));
    alone.store.close();
    pooled.store.close();
  });

  it('reports progress against the total counted ahead of the streamed walk', async () => {
    const root = tempDir();
    writeSyntheticProject(root, POOL_MIN_FILES + 40);
    const store = IndexStore.open(path.join(tempDir(), 'index.db'), { quickCheck: false });
    const seen: IndexProgress[] = [];
    const summary = await indexRoots(store, { roots: [{ name: 'project', path: root }], walk: DEFAULT_WALK_OPTIONS, embedder: new HashEmbedder(64), threads: 2, onProgress: (p) => seen.push(p) });
    const indexing = seen.filter((p) => p.phase === 'indexing');
    expect(indexing.length).toBeGreaterThan(0);
    expect(indexing.every((p) => p.filesTotal === summary.filesSeen)).toBe(true);
    expect(indexing.at(-1)?.filesDone).toBe(summary.filesSeen);
    expect(seen.filter((p) => p.phase === 'walking').every((p) => p.filesDone <= summary.filesSeen && p.filesTotal === 0)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ phase: 'done', filesDone: summary.filesSeen, filesTotal: summary.filesSeen });
    store.close();
  });
});
