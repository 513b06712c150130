import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { createError, describe } from '../../shared/errors';
import { normalize, type EmbedResult, type Embedder, type EmbedRole } from './embedder';
import { importEsm } from '../../shared/importEsm';

/**
 * Standard Hugging Face ONNX models from a local folder (`config.json`, `tokenizer.json`,
 * `onnx/model*.onnx`), run by @xenova/transformers fully offline. Pooling follows the folder's
 * sentence-transformers config (`1_Pooling/config.json`: CLS or mean), else mean; vectors are
 * L2-normalised; inputs are truncated to the model's maximum length. Query/document prefixes (as e5
 * and bge models want) come from an optional `sourceline.json` beside the model.
 */

export interface TransformersOptions {
  readonly pooling: 'mean' | 'cls';
  readonly maxLength: number;
  readonly queryPrefix: string;
  readonly documentPrefix: string;
  readonly batchSize: number;
}

const ONNX_FILES = ['model.onnx', 'model_quantized.onnx'] as const;

export function isTransformersFolder(folder: string): boolean {
  return existsSync(path.join(folder, 'config.json')) && existsSync(path.join(folder, 'tokenizer.json')) && ONNX_FILES.some((f) => existsSync(path.join(folder, 'onnx', f)));
}

function readJson(file: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value)) : {};
  } catch {
    return {};
  }
}

/** Pooling, length and prefixes: from the folder's own configuration where it has one. */
export function readOptions(folder: string): TransformersOptions {
  const pooling = readJson(path.join(folder, '1_Pooling', 'config.json'));
  const config = readJson(path.join(folder, 'config.json'));
  const tokenizerConfig = readJson(path.join(folder, 'tokenizer_config.json'));
  const own = readJson(path.join(folder, 'sourceline.json'));
  const lengths = [config['max_position_embeddings'], tokenizerConfig['model_max_length'], own['maxLength']].filter((x): x is number => typeof x === 'number' && x > 0);
  return {
    pooling: own['pooling'] === 'cls' || pooling['pooling_mode_cls_token'] === true ? 'cls' : 'mean',
    maxLength: Math.min(512, ...lengths),
    queryPrefix: typeof own['queryPrefix'] === 'string' ? own['queryPrefix'] : '',
    documentPrefix: typeof own['documentPrefix'] === 'string' ? own['documentPrefix'] : '',
    batchSize: typeof own['batchSize'] === 'number' ? own['batchSize'] : 16,
  };
}

/** The parts of @xenova/transformers used here, typed at the boundary. */
interface TensorLike {
  readonly data: ArrayLike<number | bigint>;
  readonly dims: readonly number[];
}
interface TransformersModule {
  readonly env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  readonly AutoTokenizer: { from_pretrained(id: string, options: object): Promise<(texts: string[], options: object) => Record<string, TensorLike>> };
  readonly AutoModel: { from_pretrained(id: string, options: object): Promise<(inputs: Record<string, TensorLike>) => Promise<Record<string, TensorLike>>> };
}

function isTensor(value: unknown): value is TensorLike {
  return typeof value === 'object' && value !== null && 'data' in value && 'dims' in value;
}

function hasFromPretrained(value: unknown): boolean {
  return typeof value === 'function' && 'from_pretrained' in value && typeof value.from_pretrained === 'function';
}

function isTransformersModule(value: unknown): value is TransformersModule {
  if (typeof value !== 'object' || value === null) return false;
  const m = Object.fromEntries(Object.entries(value));
  return typeof m['env'] === 'object' && m['env'] !== null && hasFromPretrained(m['AutoTokenizer']) && hasFromPretrained(m['AutoModel']);
}

async function loadTransformers(): Promise<TransformersModule> {
  let loaded: unknown;
  try {
    // A real dynamic import: the package is ESM-only and stays external to the bundle.
    loaded = await importEsm('@xenova/transformers');
  } catch (error) {
    throw createError('native-module', `Could not load @xenova/transformers (${describe(error)}). Run \`npm install\` again.`, error);
  }
  if (!isTransformersModule(loaded)) throw createError('native-module', '@xenova/transformers is not the expected version (2.x).');
  return loaded;
}

export class TransformersEmbedder implements Embedder {
  readonly id: string;
  readonly dims: number;
  readonly options: TransformersOptions;
  private loaded: Promise<{ tokenizer: Awaited<ReturnType<TransformersModule['AutoTokenizer']['from_pretrained']>>; model: Awaited<ReturnType<TransformersModule['AutoModel']['from_pretrained']>> }> | undefined;

  constructor(private readonly folder: string) {
    if (!isTransformersFolder(folder)) throw createError('model-missing', `${folder} is not a Hugging Face ONNX model folder (config.json, tokenizer.json, onnx/model.onnx).`);
    const config = readJson(path.join(folder, 'config.json'));
    const hidden = config['hidden_size'] ?? config['dim'] ?? config['d_model'];
    if (typeof hidden !== 'number') throw createError('model-missing', `${folder}/config.json does not say the model's hidden size.`);
    this.dims = hidden;
    this.options = readOptions(folder);
    // The id changes with the weights (size and time) and the options: vectors are never mixed.
    const onnx = ONNX_FILES.map((f) => path.join(folder, 'onnx', f)).find((f) => existsSync(f)) ?? '';
    const stat = statSync(onnx);
    const fingerprint = createHash('sha256').update(JSON.stringify([stat.size, stat.mtimeMs, this.options, config])).digest('hex').slice(0, 12);
    this.id = `hf:${path.basename(folder)}@${fingerprint}`;
  }

  private load(): Promise<{ tokenizer: Awaited<ReturnType<TransformersModule['AutoTokenizer']['from_pretrained']>>; model: Awaited<ReturnType<TransformersModule['AutoModel']['from_pretrained']>> }> {
    this.loaded ??= (async () => {
      const t = await loadTransformers();
      // Fully offline: nothing is fetched from a hub, ever.
      t.env.allowRemoteModels = false;
      t.env.allowLocalModels = true;
      t.env.localModelPath = path.dirname(this.folder);
      const id = path.basename(this.folder);
      const quantized = !existsSync(path.join(this.folder, 'onnx', 'model.onnx'));
      const [tokenizer, model] = await Promise.all([
        t.AutoTokenizer.from_pretrained(id, { local_files_only: true }),
        t.AutoModel.from_pretrained(id, { local_files_only: true, quantized }),
      ]);
      return { tokenizer, model };
    })();
    return this.loaded;
  }

  private pool(hidden: TensorLike, mask: TensorLike): Float32Array[] {
    const [batch = 0, length = 0, width = 0] = hidden.dims;
    const out: Float32Array[] = [];
    for (let b = 0; b < batch; b++) {
      const v = new Float32Array(width);
      let count = 0;
      for (let t = 0; t < (this.options.pooling === 'cls' ? 1 : length); t++) {
        if (Number(mask.data[b * length + t] ?? 0) === 0) continue;
        count++;
        for (let d = 0; d < width; d++) v[d] = (v[d] ?? 0) + Number(hidden.data[(b * length + t) * width + d] ?? 0);
      }
      if (count > 0) for (let d = 0; d < width; d++) v[d] = (v[d] ?? 0) / count;
      out.push(normalize(v));
    }
    return out;
  }

  async embed(texts: readonly string[], role: EmbedRole, signal?: AbortSignal): Promise<EmbedResult> {
    try {
      const { tokenizer, model } = await this.load();
      const prefix = role === 'query' ? this.options.queryPrefix : this.options.documentPrefix;
      const vectors: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += this.options.batchSize) {
        if (signal?.aborted === true) return { status: 'cancelled' };
        const batch = texts.slice(i, i + this.options.batchSize).map((t) => prefix + t);
        const inputs = tokenizer(batch, { padding: true, truncation: true, max_length: this.options.maxLength });
        const output = await model(inputs);
        const hidden = output['last_hidden_state'] ?? Object.values(output)[0];
        const mask = inputs['attention_mask'];
        if (!isTensor(hidden) || !isTensor(mask)) return { status: 'error', message: 'the model gave no last_hidden_state' };
        vectors.push(...this.pool(hidden, mask));
      }
      return { status: 'ok', vectors };
    } catch (error) {
      return { status: 'error', message: describe(error) };
    }
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }
}
