import { parentPort } from 'node:worker_threads';
import { describe } from '../../shared/errors';
import { prepareFile } from './prepareFile';
import { isPoolRequest, type PoolReply, type PoolRequest } from './poolProtocol';

/**
 * A pool worker: prepares files (read, redact, chunk, terms) for the indexer, whose thread keeps the
 * model and the database. Started by preparePool.ts.
 */
const port = parentPort;
if (port === null) throw new Error('prepareWorker must be started by the indexer pool');

async function answer(request: PoolRequest): Promise<PoolReply> {
  try {
    return { id: request.id, type: 'prepared', outcome: await prepareFile(request.job) };
  } catch (error) {
    return { id: request.id, type: 'failed', message: describe(error) };
  }
}

port.on('message', (message: unknown) => {
  if (isPoolRequest(message)) void answer(message).then((reply) => port.postMessage(reply));
});
