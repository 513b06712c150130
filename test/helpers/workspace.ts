import * as path from 'node:path';
import { HashEmbedder } from '../../src/engine/embed/hashEmbedder';
import { normalize, type Embedder, type EmbedResult } from '../../src/engine/embed/embedder';
import { Workspace } from '../../src/engine/workspace';
import { DEFAULT_WALK_OPTIONS } from '../../src/engine/walk/walk';
import { tempDir } from './tmp';

/** Counts what the model is asked to embed, so tests can assert that unchanged text is not re-embedded. */
export class CountingEmbedder implements Embedder {
  readonly inner: HashEmbedder;
  documents = 0;
  /** When set, document embedding fails as a broken model would. */
  failing = false;

  constructor(dims = 64, readonly id = `hash-v1-${dims}`) {
    this.inner = new HashEmbedder(dims);
  }

  get dims(): number {
    return this.inner.dims;
  }

  embed(texts: readonly string[], role: 'query' | 'document', signal?: AbortSignal): Promise<EmbedResult> {
    if (this.failing) return Promise.resolve({ status: 'error', message: 'onnxruntime could not run' });
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

/**
 * Dense deterministic vectors: the hashing embedder's sparse vector through a fixed random rotation
 * (SimHash-style), so sign bits carry angle information as a learned model's would.
 */
export class DenseEmbedder implements Embedder {
  readonly id: string;
  private readonly inner: HashEmbedder;
  private readonly rotation: Float32Array[];

  constructor(readonly dims: number) {
    this.id = `dense-test-${dims}`;
    this.inner = new HashEmbedder(dims);
    let seed = 12345;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32 - 0.5;
    };
    this.rotation = Array.from({ length: dims }, () => Float32Array.from({ length: dims }, random));
  }

  embedOne(text: string): Float32Array {
    const sparse = this.inner.embedOne(text);
    return normalize(Float32Array.from(this.rotation, (row) => row.reduce((sum, r, i) => sum + r * (sparse[i] ?? 0), 0)));
  }

  embed(texts: readonly string[]): Promise<EmbedResult> {
    return Promise.resolve({ status: 'ok', vectors: texts.map((t) => this.embedOne(t)) });
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }
}
