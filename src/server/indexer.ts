import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { INDEX_YOUNG_GENERATION_MB } from '../shared/mallocTuning';
import { isWorkerReply, type WorkerConfig, type WorkerReply } from './workerProtocol';

type Updated = Extract<WorkerReply, { type: 'updated' }>;
type Progress = Extract<WorkerReply, { type: 'progress' }>;

/** An update stopped by `abort()` (pause, clear): not a failure to report. */
export class UpdateCancelled extends Error {}

/** The server's handle on its indexing thread: one update at a time, progress as it goes. */
export class IndexThread {
  private pending: { resolve: (u: Updated) => void; reject: (e: Error) => void; onProgress: (p: Progress) => void } | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: unknown) => {
      if (!isWorkerReply(message) || this.pending === null) return;
      if (message.type === 'progress') this.pending.onProgress(message);
      else if (message.type === 'updated') this.settle((p) => p.resolve(message));
      else if (message.type === 'failed') this.settle((p) => p.reject(message.cancelled ? new UpdateCancelled(message.message) : new Error(message.message)));
    });
    worker.on('error', (error) => this.settle((p) => p.reject(error)));
  }

  private settle(action: (p: NonNullable<IndexThread['pending']>) => void): void {
    const p = this.pending;
    this.pending = null;
    if (p !== null) action(p);
  }

  /** Starts the thread; resolves once it has opened (verified, migrated) the index. */
  static start(config: WorkerConfig): Promise<{ thread: IndexThread; model: string; notices: readonly string[] }> {
    const worker = new Worker(path.join(__dirname, 'indexWorker.js'), { workerData: config, resourceLimits: { maxYoungGenerationSizeMb: INDEX_YOUNG_GENERATION_MB } });
    return new Promise((resolve, reject) => {
      const first = (message: unknown): void => {
        if (!isWorkerReply(message)) return;
        worker.off('message', first);
        if (message.type === 'opened') resolve({ thread: new IndexThread(worker), model: message.model, notices: message.notices });
        else reject(new Error(message.type === 'failed' ? message.message : `unexpected ${message.type}`));
      };
      worker.on('message', first);
      worker.once('error', reject);
    });
  }

  /** `only`: just these files, no walk (editor text changed and nothing else); null for a full run. */
  update(overlays: ReadonlyMap<string, string>, only: ReadonlySet<string> | null, onProgress: (p: Progress) => void): Promise<Updated> {
    if (this.pending !== null) return Promise.reject(new Error('an update is already running'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, onProgress };
      this.worker.postMessage({ type: 'update', overlays: [...overlays], only: only === null ? null : [...only] });
    });
  }

  /** Stops the running update at the next file; everything committed so far stays. */
  abort(): void {
    this.worker.postMessage({ type: 'abort' });
  }

  async close(): Promise<void> {
    this.worker.postMessage({ type: 'close' });
    await this.worker.terminate();
  }
}
