/** Messages between the server's main thread and its indexing thread (indexWorker.ts). */

export interface WorkerConfig {
  readonly dbPath: string;
  readonly roots: ReadonlyArray<{ readonly name: string; readonly path: string }>;
  readonly maxFileBytes: number;
  readonly extraExcludes: readonly string[];
  readonly embeddingModel?: string;
}

export type WorkerRequest = { readonly type: 'update' } | { readonly type: 'close' };

export type WorkerReply =
  | { readonly type: 'opened'; readonly model: string; readonly notices: readonly string[] }
  | { readonly type: 'progress'; readonly phase: string; readonly filesDone: number; readonly filesTotal: number }
  | { readonly type: 'updated'; readonly filesSeen: number; readonly filesIndexed: number; readonly filesDeleted: number; readonly seconds: number; readonly notices: readonly string[] }
  | { readonly type: 'failed'; readonly message: string };

export function isWorkerRequest(value: unknown): value is WorkerRequest {
  return typeof value === 'object' && value !== null && 'type' in value && (value.type === 'update' || value.type === 'close');
}

export function isWorkerReply(value: unknown): value is WorkerReply {
  return typeof value === 'object' && value !== null && 'type' in value && ['opened', 'progress', 'updated', 'failed'].includes(String(value.type));
}
