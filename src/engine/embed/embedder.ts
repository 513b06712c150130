/**
 * An embedder turns texts into unit-length vectors. Expected failures are values (design rule 6):
 * a model that cannot run returns `error`, and indexing goes on lexical-only with a clear status.
 */
export type EmbedRole = 'query' | 'document';

export type EmbedResult =
  | { readonly status: 'ok'; readonly vectors: readonly Float32Array[] }
  | { readonly status: 'error'; readonly message: string }
  | { readonly status: 'cancelled' };

/**
 * How the retrievers' lists are fused (see retrieve/fuse.ts): reciprocal rank fusion (`rrf`, with
 * its constant `k`) or a convex combination of per-query min-max normalised scores (`cc`).
 */
export interface FusionWeights {
  readonly method?: 'rrf' | 'cc';
  readonly lexical: number;
  readonly vector: number;
  readonly k: number;
  /**
   * A learned reranker (retrieve/features.ts): one weight per named feature. When both retrievers
   * ran, it orders their union instead of the fusion above (which stays the fallback).
   */
  readonly reranker?: LearnedReranker;
  /**
   * The vector weight for a kind of query (`question`, `long`), where it differs from `vector`:
   * pasted issue text gains less from the vectors than a short question does.
   */
  readonly vectorByKind?: Readonly<Partial<Record<'question' | 'long', number>>>;
}

export interface LearnedReranker {
  readonly features: readonly string[];
  readonly weights: readonly number[];
}

export interface Embedder {
  /** Identifies the model *and* its preprocessing: vectors from different ids are never mixed. */
  readonly id: string;
  readonly dims: number;
  /** Fusion weights tuned for this model on the dev corpus, if any. */
  readonly fusion?: FusionWeights;
  embed(texts: readonly string[], role: EmbedRole, signal?: AbortSignal): Promise<EmbedResult>;
  /** How an indexing worker thread embeds documents with this model itself, if it can (indexing/prepareWorker.ts). */
  threadEmbedding?(): ThreadEmbedding;
  dispose(): Promise<void>;
}

/** Plain data a worker thread opens the same model from; the worker checks the id before using it. */
export interface ThreadEmbedding {
  readonly kind: 'static-graph';
  readonly folder: string;
  readonly id: string;
  /** The model's table in memory every thread shares (one copy, not one per worker), when there is one. */
  readonly table?: SharedArrayBuffer;
}

export function isThreadEmbedding(value: unknown): value is ThreadEmbedding {
  if (typeof value !== 'object' || value === null) return false;
  const v = Object.fromEntries(Object.entries(value));
  return v['kind'] === 'static-graph' && typeof v['folder'] === 'string' && typeof v['id'] === 'string' && (v['table'] === undefined || v['table'] instanceof SharedArrayBuffer);
}

/** Dot product; for unit vectors, their cosine similarity. */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}
