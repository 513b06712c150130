import type { Embedder, EmbedResult } from '../embed/embedder';
import { embedTextOf, type ChunkWrite, type FileWrite, type IndexedFileMeta, type IndexStore } from '../store/indexStore';
import { markVectorsPending } from '../store/vectors';
import { createError } from '../../shared/errors';
import type { PreparedChunk } from './prepareFile';

/** A batch is committed when it holds this many files or chunks: bounded memory, cheap commits. */
const BATCH_FILES = 64;
const BATCH_CHUNKS = 2048;
export const EMBED_BATCH = 256;

export interface IndexedFile {
  readonly rootId: number;
  readonly file: IndexedFileMeta;
  readonly chunks: readonly PreparedChunk[];
}

/** Embeds texts with the run's embedder (its signal bound). */
export type EmbedTexts = (texts: readonly string[]) => Promise<EmbedResult>;

export type Vectors = { readonly vectors: Float32Array[]; readonly embedded: number } | { readonly failed: string };

/**
 * Vectors for `items`, from the embedding cache or the model; texts with the same hash are embedded
 * once. A model failure is a value: the caller indexes for lexical search only and leaves the vectors
 * to a later run.
 */
export async function vectorsFor(store: IndexStore, embedder: Embedder, embed: EmbedTexts, items: ReadonlyArray<{ hash: string; text: string }>): Promise<Vectors> {
  const byHash = new Map<string, Float32Array | null>();
  const missing: Array<{ hash: string; text: string }> = [];
  for (const it of items) {
    if (byHash.has(it.hash)) continue;
    const cached = store.cachedVector(embedder.id, it.hash);
    byHash.set(it.hash, cached);
    if (cached === null) missing.push(it);
  }
  for (let from = 0; from < missing.length; from += EMBED_BATCH) {
    const slice = missing.slice(from, from + EMBED_BATCH);
    const result = await embed(slice.map((m) => m.text));
    if (result.status === 'cancelled') throw createError('cancelled', 'Indexing was cancelled.');
    if (result.status === 'error') return { failed: `the embedding model ${embedder.id} failed: ${result.message}` };
    slice.forEach((m, j) => byHash.set(m.hash, result.vectors[j] ?? null));
  }
  const out: Float32Array[] = [];
  for (const it of items) {
    const v = byHash.get(it.hash) ?? null;
    if (v === null || v.length !== embedder.dims) return { failed: `the embedding model ${embedder.id} returned a vector of the wrong size` };
    out.push(v);
  }
  return { vectors: out, embedded: missing.length };
}

/**
 * Collects the run's changes and commits them in batches, one transaction each. A batch is embedded
 * and written while the next one fills (the pool keeps preparing files); at most one batch waits.
 */
export class BatchWriter {
  chunksWritten = 0;
  chunksEmbedded = 0;
  /** Set at the first model failure: the rest of the run is indexed lexically, vectors pending. */
  degraded: string | null = null;
  private ops: FileWrite[] = [];
  private files: IndexedFile[] = [];
  private chunks = 0;
  private writing: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(private readonly store: IndexStore, private readonly embedder: Embedder, private readonly embed: EmbedTexts) {}

  add(op: FileWrite): void {
    this.ops.push(op);
  }

  addIndexed(file: IndexedFile): void {
    this.files.push(file);
    this.chunks += file.chunks.length;
  }

  get full(): boolean {
    return this.ops.length + this.files.length >= BATCH_FILES || this.chunks >= BATCH_CHUNKS;
  }

  /** Hands what is held to the writing chain; resolves once the batch before it is written (back-pressure). */
  flush(): Promise<void> {
    const ops = this.ops;
    const files = this.files;
    this.ops = [];
    this.files = [];
    this.chunks = 0;
    const previous = this.writing;
    this.writing = previous.then(() => (this.failure === null ? this.writeBatch(ops, files) : undefined)).catch((error: unknown) => {
      this.failure ??= error;
    });
    return previous.then(() => this.rethrow());
  }

  /** Writes what is held and waits for every batch; throws the first failure. */
  async finish(): Promise<void> {
    await this.flush();
    await this.writing;
    this.rethrow();
  }

  /** Waits for the batch being written, whatever happens to it: nothing writes after the run returns. */
  settle(): Promise<void> {
    return this.writing;
  }

  private rethrow(): void {
    if (this.failure !== null) throw this.failure;
  }

  private async writeBatch(ops: readonly FileWrite[], files: readonly IndexedFile[]): Promise<void> {
    const chunks = files.flatMap((f) => f.chunks);
    const fromPool = (c: PreparedChunk): Float32Array | null => (c.vector?.length === this.embedder.dims ? c.vector : null);
    const fromWorkers = chunks.filter((c) => fromPool(c) !== null).length;
    // Chunks the pool did not embed come from the cache or the model here.
    const items = chunks.filter((c) => fromPool(c) === null).map((c) => ({ hash: c.hash, text: embedTextOf(c.chunk) }));
    // After one failure the model is not tried again in this run: the rest is indexed lexically.
    const result: Vectors = items.length === 0 ? { vectors: [], embedded: 0 } : this.degraded === null ? await vectorsFor(this.store, this.embedder, this.embed, items) : { failed: this.degraded };
    if ('failed' in result) {
      this.degraded ??= result.failed;
      markVectorsPending(this.store.db);
    }
    let k = 0;
    const vectorOf = (c: PreparedChunk): Float32Array | null => fromPool(c) ?? ('vectors' in result ? (result.vectors[k++] ?? null) : null);
    const indexed: FileWrite[] = files.map((f) => ({
      type: 'indexed',
      rootId: f.rootId,
      file: f.file,
      chunks: f.chunks.map((c): ChunkWrite => ({
        chunk: c.chunk, textSlot: c.textSlot, hash: c.hash, definitions: c.definitions, nameTerms: c.nameTerms, bodyTerms: c.bodyTerms, tokens: c.tokens, vector: vectorOf(c),
      })),
    }));
    this.store.write(this.embedder.id, [...ops, ...indexed]);
    this.chunksWritten += chunks.length;
    this.chunksEmbedded += fromWorkers + ('embedded' in result ? result.embedded : 0);
  }
}
