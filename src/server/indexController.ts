import { describe } from '../shared/errors';
import type { IndexState } from '../shared/types';
import type { WorkerReply } from './workerProtocol';

type Updated = Extract<WorkerReply, { type: 'updated' }>;
type Progress = Extract<WorkerReply, { type: 'progress' }>;

/** What the controller drives: the index thread (a fake in the unit tests). */
export interface UpdateTarget {
  update(overlays: ReadonlyMap<string, string>, only: ReadonlySet<string> | null, onProgress: (p: Progress) => void): Promise<Updated>;
  abort(): void;
}

/** What the controller needs of the server around it. */
export interface ControllerHooks {
  /** Open editors' texts by absolute path (saved or not). */
  readonly overlays: () => ReadonlyMap<string, string>;
  /** Files the index knows after an update (a partial run saw only a few); null: the update's own count. */
  readonly knownFiles: () => number | null;
  readonly setState: (state: IndexState, filesDone: number, filesTotal: number, message: string | null) => void;
  readonly log: { info(m: string): void; warn(m: string): void; error(m: string): void };
  /** Tells a stopped update (pause, close) from a failed one. */
  readonly isCancelled: (error: unknown) => boolean;
  readonly now?: () => number;
}

export interface Timings {
  /** After a file event, wait this long for more: a checkout fires hundreds. */
  readonly debounceMs: number;
  /** Typing: index the editor's text once the user pauses. */
  readonly typingMs: number;
  /** Updates shorter than this show no progress (a save, a keystroke pause). */
  readonly quietMs: number;
  /** A long update's progress reaches the status bar at most this often. */
  readonly progressMs: number;
}

export const DEFAULT_TIMINGS: Timings = { debounceMs: 150, typingMs: 300, quietMs: 500, progressMs: 250 };

/**
 * The one owner of the server's update state: one update at a time on the index thread, events
 * during an update coalesced into exactly one more, partial runs (just the changed paths) unless a
 * full walk is due, pause that stops a running update, progress shown once and only when it is worth
 * reading. The server wires events and requests to it; it knows nothing of LSP.
 */
export class IndexController {
  private target: UpdateTarget | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pausedFlag = false;
  /** The first update after opening always shows progress; later ones only when they run long. */
  private openedQuietly = false;
  /** Whether the next update must walk the folders (opening, settings, recovery, a failed run) or may decide just `changed`. */
  private walkNeeded = true;
  /** Paths that changed since the last update began: typed in, saved, closed, or reported by the watcher. */
  private readonly changed = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly hooks: ControllerHooks, private readonly timings: Timings = DEFAULT_TIMINGS) {
    this.now = hooks.now ?? Date.now;
  }

  get paused(): boolean {
    return this.pausedFlag;
  }

  /** A freshly opened index: the first update walks everything and shows its progress. */
  attach(target: UpdateTarget): void {
    this.target = target;
    this.openedQuietly = false;
    this.schedule(0, true);
  }

  /** Before the index closes: no more updates, the running one stopped and waited for. */
  async detach(): Promise<void> {
    clearTimeout(this.timer);
    const target = this.target;
    this.target = null;
    target?.abort();
    await this.running;
  }

  /** A file or folder changed (`typing`: the editor's text, indexed once the user pauses). */
  pathChanged(absPath: string, typing = false): void {
    this.changed.add(absPath);
    this.schedule(typing ? this.timings.typingMs : this.timings.debounceMs, false);
  }

  /** Everything again (Re-index, a re-included file): a full walk. */
  reindex(): void {
    this.schedule(0, true);
  }

  async pause(): Promise<void> {
    this.pausedFlag = true;
    clearTimeout(this.timer);
    this.target?.abort();
    await this.running;
  }

  resume(): void {
    this.pausedFlag = false;
    this.schedule(0, true);
  }

  /** Resolves when no update runs or is due (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  /** Runs one update at a time; events during an update schedule exactly one more. */
  private schedule(delay: number, walk: boolean): void {
    if (walk) this.walkNeeded = true;
    clearTimeout(this.timer);
    if (this.pausedFlag) return;
    this.timer = setTimeout(() => {
      if (this.running !== null) {
        this.again = true;
        return;
      }
      this.running = this.run().finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.schedule(0, false);
        }
      });
    }, delay);
  }

  private async run(): Promise<void> {
    const target = this.target;
    if (target === null || this.pausedFlag) return;
    // Edits, saves and file events name their paths: decide just those (a full walk stats every file).
    const only = this.walkNeeded ? null : new Set(this.changed);
    this.walkNeeded = false;
    this.changed.clear();
    if (only !== null && only.size === 0) return;
    const started = this.now();
    let shownAt = Number.NEGATIVE_INFINITY;
    try {
      const summary = await target.update(this.hooks.overlays(), only, (p) => {
        if (p.phase !== 'indexing' && p.phase !== 'embedding') return;
        const now = this.now();
        // A save or a pause in typing is done before anyone could read "indexing": it shows nothing.
        if (this.openedQuietly && now - started < this.timings.quietMs) return;
        if (now - shownAt < this.timings.progressMs && p.filesDone !== p.filesTotal) return;
        shownAt = now;
        this.hooks.setState('indexing', p.filesDone, p.filesTotal, null);
      });
      for (const n of summary.notices) this.hooks.log.warn(n);
      this.hooks.log.info(`${only === null ? 'indexed' : 'updated'} ${summary.filesSeen} files (${summary.filesIndexed} changed, ${summary.filesDeleted} deleted) in ${summary.seconds.toFixed(2)} s`);
      const known = this.hooks.knownFiles() ?? summary.filesSeen;
      this.hooks.setState('ready', known, known, summary.notices.length === 0 ? null : summary.notices.join(' '));
      this.openedQuietly = true;
    } catch (error) {
      // What this run did not finish is redone by a full run.
      this.walkNeeded = true;
      if (this.hooks.isCancelled(error)) {
        this.hooks.log.info('indexing paused');
      } else {
        const message = describe(error);
        this.hooks.log.error(`indexing failed: ${message}`);
        this.hooks.setState('error', 0, 0, `Indexing failed: ${message}`);
      }
    }
  }
}
