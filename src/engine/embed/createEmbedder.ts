import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Embedder } from './embedder';
import { HashEmbedder } from './hashEmbedder';
import { isStaticModelFolder, StaticOnnxEmbedder } from './staticOnnxEmbedder';
import { isTransformersFolder, TransformersEmbedder } from './transformersEmbedder';
import { createError } from '../../shared/errors';

/** The model Sourceline ships and uses by default. */
export const BUILTIN_MODEL = 'sourceline-code-v2';

/** `models/` of the installation: found upwards from this module (bundled in dist/ or run from src/). */
export function modelsDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'models');
    if (existsSync(path.join(candidate, BUILTIN_MODEL))) return candidate;
    dir = path.dirname(dir);
  }
  return path.join(__dirname, '..', 'models');
}

/**
 * The embedder named by settings or `--embedding-model`: `builtin` (default), `hash` (the
 * dependency-free fallback), or a folder holding a Sourceline static model or a standard Hugging Face
 * ONNX model (config.json, tokenizer.json, onnx/model.onnx).
 */
export function createEmbedder(spec: string | undefined): Embedder {
  if (spec === 'hash') return new HashEmbedder();
  if (spec === undefined || spec === '' || spec === 'builtin') {
    const folder = path.join(modelsDir(), BUILTIN_MODEL);
    if (!isStaticModelFolder(folder)) throw createError('model-missing', `The built-in model is missing from ${folder}. Reinstall Sourceline, or pass --embedding-model hash.`);
    return new StaticOnnxEmbedder(folder);
  }
  const folder = path.resolve(spec);
  if (existsSync(folder) && statSync(folder).isDirectory()) {
    if (isStaticModelFolder(folder)) return new StaticOnnxEmbedder(folder);
    if (isTransformersFolder(folder)) return new TransformersEmbedder(folder);
  }
  throw createError('model-missing', `Unknown embedding model "${spec}". Use "builtin", "hash", or a folder holding an ONNX model.`);
}
