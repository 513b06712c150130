import { words } from '../text/identifiers';
import { normalize, type EmbedResult, type Embedder } from './embedder';

/** FNV-1a, 32-bit: stable across runs and platforms. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A deterministic feature-hashing embedder (identifier-aware bag of words, sublinear term
 * frequency, signed buckets). No semantics beyond shared words, but exact, fast and dependency
 * free: the fallback when no model can run, and the vector side of tests that need determinism.
 */
export class HashEmbedder implements Embedder {
  readonly id: string;

  constructor(readonly dims = 256) {
    this.id = `hash-v1-${dims}`;
  }

  embedOne(text: string): Float32Array {
    const counts = new Map<string, number>();
    for (const w of words(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const v = new Float32Array(this.dims);
    for (const [word, count] of counts) {
      const h = fnv1a(word);
      const sign = (h & 0x80000000) === 0 ? 1 : -1;
      const index = h % this.dims;
      v[index] = (v[index] ?? 0) + sign * (1 + Math.log(count));
    }
    return normalize(v);
  }

  embed(texts: readonly string[], _role: unknown, signal?: AbortSignal): Promise<EmbedResult> {
    if (signal?.aborted === true) return Promise.resolve({ status: 'cancelled' });
    return Promise.resolve({ status: 'ok', vectors: texts.map((t) => this.embedOne(t)) });
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }
}
