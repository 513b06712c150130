import type { Embedder } from './embedder';
import { HashEmbedder } from './hashEmbedder';
import { createError } from '../../shared/errors';

/**
 * The embedder named by settings or `--model`. Until the built-in ONNX model lands, the default is
 * the deterministic hashing embedder: vectors exist and the hybrid path runs end to end.
 */
export function createEmbedder(spec: string | undefined): Embedder {
  if (spec === undefined || spec === '' || spec === 'builtin' || spec === 'hash') return new HashEmbedder();
  throw createError('model-missing', `Unknown embedding model "${spec}". Use "builtin", or a folder holding an ONNX model.`);
}
