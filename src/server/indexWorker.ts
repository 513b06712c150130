import { parentPort, workerData } from 'node:worker_threads';
import { createEmbedder } from '../engine/embed/createEmbedder';
import type { Root } from '../engine/types';
import { Workspace } from '../engine/workspace';
import { describe, isSourcelineError } from '../shared/errors';
import { isRecord } from '../shared/guards';
import { isWorkerRequest, type WorkerConfig, type WorkerReply } from './workerProtocol';

/**
 * The indexing thread: walk, chunk (tree-sitter), embed and write run here, on the index's one
 * writer connection, so the server's main thread stays free to answer searches (WAL lets it read
 * while this thread writes).
 */
function isConfig(value: unknown): value is WorkerConfig {
  return isRecord(value) && typeof value['dbPath'] === 'string' && Array.isArray(value['roots']) && isRecord(value['walk']);
}

const port = parentPort;
if (port === null || !isConfig(workerData)) throw new Error('indexWorker must be started by the server with its configuration');
const config = workerData;
const post = (reply: WorkerReply): void => port.postMessage(reply);

let workspace: Workspace;
try {
  const roots: Root[] = config.roots.map((r) => ({ name: r.name, path: r.path }));
  workspace = Workspace.open({ roots, dbPath: config.dbPath, walk: config.walk, embedder: createEmbedder(config.embeddingModel) }, { quickCheck: true });
  post({ type: 'opened', model: workspace.embedder.id, notices: workspace.takeNotices() });
} catch (error) {
  post({ type: 'failed', message: isSourcelineError(error) ? error.message : describe(error), cancelled: false });
  throw error;
}

let running: AbortController | null = null;

port.on('message', (message: unknown) => {
  if (!isWorkerRequest(message)) return;
  if (message.type === 'abort') {
    running?.abort();
    return;
  }
  if (message.type === 'close') {
    running?.abort();
    workspace.close();
    port.close();
    return;
  }
  const controller = new AbortController();
  running = controller;
  workspace
    .update((p) => post({ type: 'progress', phase: p.phase, filesDone: p.filesDone, filesTotal: p.filesTotal }), controller.signal, new Map(message.overlays), message.only === null ? undefined : new Set(message.only))
    .then((summary) => post({ type: 'updated', filesSeen: summary.filesSeen, filesIndexed: summary.filesIndexed, filesDeleted: summary.filesDeleted, seconds: summary.seconds, notices: [...workspace.takeNotices(), ...(summary.degraded === null ? [] : [summary.degraded])] }))
    .catch((error: unknown) => post({ type: 'failed', message: isSourcelineError(error) ? error.message : describe(error), cancelled: controller.signal.aborted }))
    .finally(() => {
      if (running === controller) running = null;
    });
});
