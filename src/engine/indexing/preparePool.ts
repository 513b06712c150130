import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ThreadEmbedding } from '../embed/embedder';
import { prepareFile, type PrepareJob, type PrepareOutcome } from './prepareFile';
import { isPoolReply, type PoolReply, type PoolRequest } from './poolProtocol';

/**
 * Where files are prepared: worker threads, or the indexer's own. The model stays on the indexer's
 * thread (one copy of it in memory); the workers take the rest of the CPU work.
 */
export interface Preparer {
  /** Worker threads at work (0: inline). */
  readonly threads: number;
  /** How many jobs to keep in flight so no worker waits for the next file. */
  readonly capacity: number;
  prepare(job: PrepareJob): Promise<PrepareOutcome>;
  close(): Promise<void>;
}

/** Below this many files to read, starting workers (grammars and model per thread) costs more than it saves. */
export const POOL_MIN_FILES = 200;
/**
 * A worker's heap limit. Left unbounded, V8 lets each thread's heap grow with the garbage of
 * thousands of files before collecting; one file's work (≤ 1 MB of text) needs far less. A worker that
 * hits it stops, and its files are prepared inline.
 */
const WORKER_HEAP_MB = 128;
/**
 * Its young generation, 1 MB semi-spaces as for the indexing thread (shared/mallocTuning.ts): V8's
 * default (16 MB) held ~25 MB more per thread for no measured speed, 8 MB of young generation ~6 MB
 * more than 3 (Go tree, `sourceline index`: 307 → 295 MiB peak RSS, time within the run-to-run noise).
 */
const WORKER_YOUNG_MB = 3;
/** Jobs queued per worker: enough to hide the round trip, few enough to keep memory flat. */
const QUEUE_PER_WORKER = 48;

/** Threads for a pool: one per core (the indexer's thread embeds and writes beside them), at most four. */
export function defaultThreads(): number {
  const fromEnv = Number(process.env['SOURCELINE_INDEX_THREADS']);
  if (Number.isInteger(fromEnv) && fromEnv >= 0) return fromEnv;
  return Math.min(4, os.availableParallelism());
}

class InlinePreparer implements Preparer {
  readonly threads = 0;
  readonly capacity = 1;
  prepare(job: PrepareJob): Promise<PrepareOutcome> {
    return prepareFile(job);
  }
  async close(): Promise<void> {
    // nothing to stop
  }
}

interface Pending {
  readonly request: PoolRequest;
  readonly resolve: (reply: PoolReply) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  alive: boolean;
}

class WorkerPool implements Preparer {
  readonly capacity: number;
  private readonly slots: Slot[];
  private nextId = 1;
  private closing = false;

  constructor(script: string, threads: number, private readonly log: (message: string) => void, private readonly embedding: ThreadEmbedding | null) {
    this.slots = Array.from({ length: threads }, () => this.startSlot(script));
    this.capacity = threads * QUEUE_PER_WORKER;
  }

  get threads(): number {
    return this.slots.filter((s) => s.alive).length;
  }

  private startSlot(script: string): Slot {
    const worker = new Worker(script, {
      workerData: this.embedding,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    });
    const slot: Slot = { worker, pending: new Map(), alive: true };
    slot.worker.on('message', (message: unknown) => {
      if (!isPoolReply(message)) return;
      const waiting = slot.pending.get(message.id);
      slot.pending.delete(message.id);
      waiting?.resolve(message);
    });
    const lost = (why: string): void => {
      if (!slot.alive) return;
      slot.alive = false;
      if (this.closing) {
        for (const waiting of slot.pending.values()) waiting.reject(new Error('the indexing pool was closed'));
      } else {
        this.log(`An indexing worker stopped (${why}); its files were prepared on the indexer's thread.`);
        for (const waiting of slot.pending.values()) this.rerun(waiting);
      }
      slot.pending.clear();
    };
    slot.worker.on('error', (error) => lost(error.message));
    slot.worker.on('exit', (code) => lost(`exit code ${code}`));
    return slot;
  }

  /** A lost worker's files are prepared inline. */
  private rerun(waiting: Pending): void {
    const { request } = waiting;
    prepareFile(request.job).then((outcome) => waiting.resolve({ id: request.id, type: 'prepared', outcome }), waiting.reject);
  }

  private send(request: PoolRequest): Promise<PoolReply> | null {
    let best: Slot | undefined;
    for (const slot of this.slots) if (slot.alive && (best === undefined || slot.pending.size < best.pending.size)) best = slot;
    if (best === undefined) return null;
    const slot = best;
    return new Promise<PoolReply>((resolve, reject) => {
      slot.pending.set(request.id, { request, resolve, reject });
      slot.worker.postMessage(request);
    });
  }

  async prepare(job: PrepareJob): Promise<PrepareOutcome> {
    const reply = await this.send({ id: this.nextId++, type: 'prepare', job });
    if (reply === null) return prepareFile(job);
    if (reply.type === 'prepared') return reply.outcome;
    throw new Error(reply.message);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** The worker's script beside this bundle (dist/), or, run from the sources (tests), in the package's dist/. */
function workerScript(): string | null {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    for (const candidate of [path.join(dir, 'prepareWorker.js'), path.join(dir, 'dist', 'prepareWorker.js')]) if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return null;
}

export interface PreparerOptions {
  /** Files the run will read: a small update is prepared inline. */
  readonly files: number;
  /** Worker threads wanted (0: inline). */
  readonly threads: number;
  readonly log: (message: string) => void;
  /**
   * The model, when the workers can embed with it themselves (their chunks then come with vectors):
   * asked for only when workers start, since it may load the model's table to share with them.
   */
  readonly embedding: () => ThreadEmbedding | null;
}

export function startPreparer(options: PreparerOptions): Preparer {
  const script = options.threads > 0 && options.files >= POOL_MIN_FILES ? workerScript() : null;
  if (script === null) return new InlinePreparer();
  return new WorkerPool(script, options.threads, options.log, options.embedding());
}
