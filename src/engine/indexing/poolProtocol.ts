import type { PrepareJob, PrepareOutcome } from './prepareFile';

/**
 * Messages between the indexer and its pool workers (prepareWorker.ts). Structured clone carries
 * them (no JSON of chunk texts on the hot path); each request is answered once by id.
 */
export interface PoolRequest {
  readonly id: number;
  readonly type: 'prepare';
  readonly job: PrepareJob;
}

export type PoolReply =
  | { readonly id: number; readonly type: 'prepared'; readonly outcome: PrepareOutcome }
  /** The job threw: a bug, reported for the one file (the worker goes on). */
  | { readonly id: number; readonly type: 'failed'; readonly message: string };

function hasIdAndType(value: unknown): value is { id: number; type: string } {
  return typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'number' && 'type' in value && typeof value.type === 'string';
}

export function isPoolRequest(value: unknown): value is PoolRequest {
  return hasIdAndType(value) && value.type === 'prepare' && 'job' in value;
}

export function isPoolReply(value: unknown): value is PoolReply {
  return hasIdAndType(value) && ((value.type === 'prepared' && 'outcome' in value) || (value.type === 'failed' && 'message' in value));
}
