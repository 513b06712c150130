import { parentPort, workerData } from 'node:worker_threads';
import { describe } from '../../shared/errors';
import { isThreadEmbedding } from '../embed/embedder';
import { StaticOnnxEmbedder } from '../embed/staticOnnxEmbedder';
import { embedTextOf } from '../store/indexStore';
import { prepareFile, type PrepareOutcome } from './prepareFile';
import { isPoolRequest, type PoolReply, type PoolRequest } from './poolProtocol';

/**
 * A pool worker: prepares files (read, redact, chunk, terms) for the indexer, whose thread keeps the
 * database, and embeds their chunks when the pool was given a model a thread can run itself (the
 * built-in one, from the table the indexer's thread shares with every worker). Started by preparePool.ts.
 */
const port = parentPort;
if (port === null) throw new Error('prepareWorker must be started by the indexer pool');

const recipe: unknown = workerData;
/** Opened at the first file; null when there is no model here or it is not the one asked for (the indexer embeds then). */
let embedder: StaticOnnxEmbedder | null | undefined;

function openEmbedder(): StaticOnnxEmbedder | null {
  if (embedder !== undefined) return embedder;
  embedder = null;
  if (!isThreadEmbedding(recipe)) return null;
  try {
    const opened = new StaticOnnxEmbedder(recipe.folder);
    if (recipe.table !== undefined) opened.useSharedTable(recipe.table);
    if (opened.id === recipe.id) embedder = opened;
  } catch {
    // The indexer's thread embeds instead, and reports what fails there.
  }
  return embedder;
}

function withVectors(outcome: PrepareOutcome): PrepareOutcome {
  if (outcome.type !== 'chunks' || outcome.chunks.length === 0) return outcome;
  const vectors = openEmbedder()?.embedNow(outcome.chunks.map((c) => embedTextOf(c.chunk))) ?? null;
  if (vectors === null) return outcome;
  return { ...outcome, chunks: outcome.chunks.map((c, i) => { const vector = vectors[i]; return vector === undefined ? c : { ...c, vector }; }) };
}

async function answer(request: PoolRequest): Promise<PoolReply> {
  try {
    return { id: request.id, type: 'prepared', outcome: withVectors(await prepareFile(request.job)) };
  } catch (error) {
    return { id: request.id, type: 'failed', message: describe(error) };
  }
}

port.on('message', (message: unknown) => {
  if (isPoolRequest(message)) void answer(message).then((reply) => port.postMessage(reply));
});
