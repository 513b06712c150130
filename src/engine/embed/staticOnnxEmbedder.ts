import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { createError, describe } from '../../shared/errors';
import { StaticGraph } from './staticGraph';
import { StaticTokenizer } from './staticTokenizer';
import type { EmbedResult, Embedder, EmbedRole, FusionWeights, LearnedReranker, ThreadEmbedding } from './embedder';

/** What `meta.json` beside a static model says (written by tools/embedder/train.py). */
export interface StaticModelMeta {
  readonly id: string;
  readonly dims: number;
  readonly tokenizer: string;
  readonly maxTokens: number;
  readonly sha256?: string;
  readonly fusion?: FusionWeights;
}

function isMeta(value: unknown): value is StaticModelMeta {
  if (typeof value !== 'object' || value === null) return false;
  const v = Object.fromEntries(Object.entries(value));
  return typeof v['id'] === 'string' && typeof v['dims'] === 'number' && v['tokenizer'] === 'words-v1' && typeof v['maxTokens'] === 'number' && (v['fusion'] === undefined || isFusion(v['fusion']));
}

function isFusion(value: unknown): value is FusionWeights {
  if (typeof value !== 'object' || value === null) return false;
  const v = Object.fromEntries(Object.entries(value));
  return ['lexical', 'vector', 'k'].every((key) => typeof v[key] === 'number' && Number.isFinite(v[key])) && (v['method'] === undefined || v['method'] === 'rrf' || v['method'] === 'cc')
    && (v['reranker'] === undefined || isReranker(v['reranker'])) && (v['vectorByKind'] === undefined || isKindWeights(v['vectorByKind']));
}

function isKindWeights(value: unknown): value is FusionWeights['vectorByKind'] {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).every(([kind, w]) => (kind === 'question' || kind === 'long') && typeof w === 'number' && Number.isFinite(w) && w >= 0);
}

function isReranker(value: unknown): value is LearnedReranker {
  if (typeof value !== 'object' || value === null || !('features' in value) || !('weights' in value)) return false;
  const { features, weights } = value;
  return Array.isArray(features) && Array.isArray(weights) && features.length === weights.length
    && features.every((f) => typeof f === 'string') && weights.every((w) => typeof w === 'number' && Number.isFinite(w));
}

export function isStaticModelFolder(folder: string): boolean {
  try {
    return isMeta(JSON.parse(readFileSync(path.join(folder, 'meta.json'), 'utf8'))) && existsSync(path.join(folder, 'model.onnx'));
  } catch {
    return false;
  }
}

/**
 * Token slots (rows × padded width) in one graph run. The gathered token vectors (slots × dims
 * floats, 4 MB here) are the run's largest tensor: bounded, so memory stays flat whatever the batch.
 */
const SLOTS_PER_RUN = 4_096;

/**
 * Row indices grouped into graph runs: bags of similar length together (little padding), each run
 * within SLOTS_PER_RUN.
 */
export function runsOf(bags: ReadonlyArray<{ readonly length: number }>): number[][] {
  const order = bags.map((_, i) => i).sort((a, b) => (bags[a]?.length ?? 0) - (bags[b]?.length ?? 0));
  const runs: number[][] = [];
  let run: number[] = [];
  for (const i of order) {
    // Sorted ascending, so this bag is the run's widest so far.
    const width = Math.max(1, bags[i]?.length ?? 0);
    if (run.length > 0 && (run.length + 1) * width > SLOTS_PER_RUN) {
      runs.push(run);
      run = [];
    }
    run.push(i);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/**
 * Up to this many texts (a query, a saved file's chunks), the graph is evaluated with rows read from
 * the file as needed; beyond, with its table held (staticGraph.ts). Only a graph it does not
 * recognise goes to onnxruntime.
 */
const DIRECT_MAX_TEXTS = 64;

let ort: typeof Ort | undefined;
function loadOrt(): typeof Ort {
  try {
    ort ??= require('onnxruntime-node') as typeof Ort;
    return ort;
  } catch (error) {
    throw createError('native-module', `Could not load onnxruntime-node (${describe(error)}). Run \`npm install\` again; the built-in model needs it.`, error);
  }
}

/**
 * Sourceline's built-in static code embedder: identifier-aware tokens (the engine's `words()`), a
 * learned vector and weight per token, sum pooling with saturated term frequency, L2 norm — one
 * small ONNX graph, evaluated directly (staticGraph.ts) or, for a graph it does not recognise, by
 * onnxruntime-node. About 14,000 chunks of 1 KB a second per thread; deterministic.
 */
export class StaticOnnxEmbedder implements Embedder {
  readonly id: string;
  readonly dims: number;
  readonly fusion?: FusionWeights;
  private readonly maxTokens: number;
  /** Read when first needed: a command that embeds nothing never pays for the vocabulary. */
  private tokenizer: StaticTokenizer | undefined;
  private session: Promise<Ort.InferenceSession> | undefined;
  /** The graph evaluated directly for a few texts, rows read as needed (staticGraph.ts); null when it is not the static model's. */
  private direct: StaticGraph | null | undefined;
  /** The same with its table held, for documents in bulk; null when the graph is not the static model's. */
  private resident: StaticGraph | null | undefined;

  /** A table another thread holds in shared memory, used instead of a copy of this thread's own. */
  private sharedTable: SharedArrayBuffer | undefined;

  constructor(private readonly folder: string, private readonly threads = 1) {
    let meta: unknown;
    try {
      meta = JSON.parse(readFileSync(path.join(folder, 'meta.json'), 'utf8'));
    } catch (error) {
      throw createError('model-missing', `The embedding model in ${folder} is incomplete (${describe(error)}).`, error);
    }
    if (!isMeta(meta) || !existsSync(path.join(folder, 'vocab.json'))) throw createError('model-missing', `${folder} does not hold a Sourceline static model (meta.json, vocab.json, model.onnx).`);
    this.id = meta.sha256 === undefined ? meta.id : `${meta.id}@${meta.sha256.slice(0, 12)}`;
    this.dims = meta.dims;
    if (meta.fusion !== undefined) this.fusion = meta.fusion;
    this.maxTokens = meta.maxTokens;
  }

  private open(): Promise<Ort.InferenceSession> {
    this.session ??= loadOrt().InferenceSession.create(path.join(this.folder, 'model.onnx'), {
      executionProviders: ['cpu'],
      intraOpNumThreads: this.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      // The gathered token vectors of a batch (texts × tokens × dims floats) are the graph's largest
      // tensor; an arena would keep its peak for the process's life (hundreds of MB).
      enableCpuMemArena: false,
      enableMemPattern: false,
    });
    return this.session;
  }

  /** Token ids and counts of one text, most frequent first (as the trainer saw them). */
  tokenize(text: string): Array<[number, number]> {
    this.tokenizer ??= StaticTokenizer.load(path.join(this.folder, 'vocab.json'), this.maxTokens);
    return this.tokenizer.tokenize(text);
  }

  /** Queries and documents are embedded alike (the role matters to models with instructions). */
  async embed(texts: readonly string[], _role: EmbedRole, signal?: AbortSignal): Promise<EmbedResult> {
    if (signal?.aborted === true) return { status: 'cancelled' };
    if (texts.length === 0) return { status: 'ok', vectors: [] };
    try {
      const bags = texts.map((t) => this.tokenize(t));
      const graph = this.graphFor(texts.length);
      if (graph !== null) return { status: 'ok', vectors: bags.map((b) => graph.embed(b)) };
      return await this.runBags(bags);
    } catch (error) {
      return { status: 'error', message: describe(error) };
    }
  }

  /** The directly evaluated graph for this many texts: rows read as needed for a few, the table held for more. */
  private graphFor(texts: number): StaticGraph | null {
    if (texts <= DIRECT_MAX_TEXTS && (this.resident ?? null) === null) {
      this.direct ??= StaticGraph.open(path.join(this.folder, 'model.onnx'), this.dims);
      if (this.direct !== null) return this.direct;
    }
    return this.residentGraph();
  }

  private residentGraph(): StaticGraph | null {
    const file = path.join(this.folder, 'model.onnx');
    // Held in shared memory, so the indexing workers embed from this copy (threadEmbedding()).
    this.resident ??= this.sharedTable === undefined ? StaticGraph.open(file, this.dims, { resident: true, shared: true }) : StaticGraph.open(file, this.dims, { table: this.sharedTable });
    return this.resident;
  }

  /** Embeds from a table another thread shared (a worker given threadEmbedding()'s table). */
  useSharedTable(table: SharedArrayBuffer): void {
    if (this.resident === undefined) this.sharedTable = table;
  }

  /**
   * Documents embedded at once on this thread, by the graph evaluated directly; null when the graph
   * is not the static model's (the texts then go through embed(), to onnxruntime). An indexing
   * worker's way to embed what it has just chunked.
   */
  embedNow(texts: readonly string[]): Float32Array[] | null {
    const resident = this.residentGraph();
    return resident === null ? null : texts.map((t) => resident.embed(this.tokenize(t)));
  }

  /** Through onnxruntime whatever the graph: what the direct evaluation is checked against. */
  async embedWithRuntime(texts: readonly string[]): Promise<EmbedResult> {
    try {
      return await this.runBags(texts.map((t) => this.tokenize(t)));
    } catch (error) {
      return { status: 'error', message: describe(error) };
    }
  }

  threadEmbedding(): ThreadEmbedding {
    const table = this.residentGraph()?.sharedTable() ?? null;
    return { kind: 'static-graph', folder: this.folder, id: this.id, ...(table === null ? {} : { table }) };
  }

  /** The bags' embeddings through onnxruntime, in bounded, length-sorted graph runs. */
  private async runBags(bags: ReadonlyArray<ReadonlyArray<[number, number]>>): Promise<EmbedResult> {
    if (bags.length === 0) return { status: 'ok', vectors: [] };
    const session = await this.open();
    const vectors: Float32Array[] = new Array<Float32Array>(bags.length);
    for (const rows of runsOf(bags)) {
      const out = await this.run(session, rows.map((i) => bags[i] ?? []));
      if (typeof out === 'string') return { status: 'error', message: out };
      rows.forEach((row, j) => {
        vectors[row] = out.slice(j * this.dims, (j + 1) * this.dims);
      });
    }
    return { status: 'ok', vectors };
  }

  /** One graph run over bags padded to the longest; the embeddings row by row, or what went wrong. */
  private async run(session: Ort.InferenceSession, bags: ReadonlyArray<ReadonlyArray<[number, number]>>): Promise<Float32Array | string> {
    const runtime = loadOrt();
    const width = Math.max(1, ...bags.map((b) => b.length));
    const ids = new BigInt64Array(bags.length * width);
    const tf = new Float32Array(bags.length * width);
    bags.forEach((bag, row) => {
      bag.forEach(([id, count], col) => {
        ids[row * width + col] = BigInt(id);
        tf[row * width + col] = Math.log1p(count);
      });
    });
    const output = await session.run({
      ids: new runtime.Tensor('int64', ids, [bags.length, width]),
      tf: new runtime.Tensor('float32', tf, [bags.length, width]),
    });
    const data = output['embedding']?.data;
    return data instanceof Float32Array ? data : 'the model returned no embedding';
  }

  async dispose(): Promise<void> {
    this.direct?.close();
    this.resident?.close();
    const session = await this.session;
    await session?.release();
  }
}
