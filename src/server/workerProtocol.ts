import type { WalkOptions } from '../engine/walk/walk';

/** Messages between the server's main thread and its indexing thread (indexWorker.ts). */

export interface WorkerConfig {
  readonly dbPath: string;
  readonly roots: ReadonlyArray<{ readonly name: string; readonly path: string }>;
  readonly walk: WalkOptions;
  readonly embeddingModel?: string;
}

export type WorkerRequest =
  /**
   * Bring the index up to date; `overlays` are open editors' texts by absolute path; `only`, when
   * set, limits the run to those files without walking (only editor text changed).
   */
  | { readonly type: 'update'; readonly overlays: ReadonlyArray<readonly [string, string]>; readonly only: readonly string[] | null }
  /** Stop the running update at the next file (pause): what is committed stays. */
  | { readonly type: 'abort' }
  | { readonly type: 'close' };

export type WorkerReply =
  | { readonly type: 'opened'; readonly model: string; readonly notices: readonly string[] }
  | { readonly type: 'progress'; readonly phase: string; readonly filesDone: number; readonly filesTotal: number }
  | { readonly type: 'updated'; readonly filesSeen: number; readonly filesIndexed: number; readonly filesDeleted: number; readonly seconds: number; readonly notices: readonly string[] }
  | { readonly type: 'failed'; readonly message: string; readonly cancelled: boolean };

function hasType(value: unknown, types: readonly string[]): value is { type: string } {
  return typeof value === 'object' && value !== null && 'type' in value && types.includes(String(value.type));
}

export function isWorkerRequest(value: unknown): value is WorkerRequest {
  return hasType(value, ['update', 'abort', 'close']);
}

export function isWorkerReply(value: unknown): value is WorkerReply {
  return hasType(value, ['opened', 'progress', 'updated', 'failed']);
}
