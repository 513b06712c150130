import type { EmbedResult, Embedder } from '../src/engine/embed/embedder';

/** Zero vectors at no cost: indexing time without any model, to compare a model's cost against. */
export class NoModel implements Embedder {
  readonly id = 'none-8';
  readonly dims = 8;
  embed(texts: readonly string[]): Promise<EmbedResult> {
    return Promise.resolve({ status: 'ok', vectors: texts.map(() => new Float32Array(8)) });
  }
  dispose(): Promise<void> {
    return Promise.resolve();
  }
}
