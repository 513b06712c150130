import * as path from 'node:path';
import { HashEmbedder } from '../../src/engine/embed/hashEmbedder';
import type { Embedder, EmbedResult } from '../../src/engine/embed/embedder';
import { Workspace } from '../../src/engine/workspace';
import { DEFAULT_WALK_OPTIONS } from '../../src/engine/walk/walk';
import { tempDir } from './tmp';

/** Counts what the model is asked to embed, so tests can assert that unchanged text is not re-embedded. */
export class CountingEmbedder implements Embedder {
  readonly inner: HashEmbedder;
  documents = 0;

  constructor(dims = 64, readonly id = `hash-v1-${dims}`) {
    this.inner = new HashEmbedder(dims);
  }

  get dims(): number {
    return this.inner.dims;
  }

  embed(texts: readonly string[], role: 'query' | 'document', signal?: AbortSignal): Promise<EmbedResult> {
    if (role === 'document') this.documents += texts.length;
    return this.inner.embed(texts, role, signal);
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }
}

export function openWorkspace(roots: readonly string[], embedder: Embedder = new CountingEmbedder(), dbPath?: string): Workspace {
  return Workspace.open({
    roots: roots.map((p) => ({ name: path.basename(p), path: p })),
    dbPath: dbPath ?? path.join(tempDir(), 'index.db'),
    walk: DEFAULT_WALK_OPTIONS,
    embedder,
  });
}
