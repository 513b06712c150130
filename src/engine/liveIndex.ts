import * as path from 'node:path';
import type { IndexProgress, IndexSummary } from './indexer';
import { BUILTIN_EXCLUDES } from './walk/ignoreRules';
import { watchTree, type TreeWatcher } from './walk/treeWatcher';
import type { Workspace } from './workspace';
import { describe } from '../shared/errors';

/** What a tool result says about freshness: searches answer from what is indexed meanwhile. */
export interface LiveState {
  readonly phase: 'indexing' | 'ready' | 'failed';
  /** Progress of a running full update: files checked of those found (null when none runs). */
  readonly progress: { readonly done: number; readonly total: number } | null;
  readonly lastUpdatedAt: number | null;
  /** Changed files waiting for the next update. */
  readonly pendingFiles: number;
  readonly error: string | null;
  /** False once a watcher failed: changes are then seen only by a full update (`refresh`). */
  readonly watching: boolean;
}

export interface LiveIndexOptions {
  /** Prefix of this driver's log lines (`sourceline mcp`). */
  readonly label: string;
  readonly log: (message: string) => void;
  /** Called after every update that finished, full or of changed files only. */
  readonly onUpdate?: (summary: IndexSummary, full: boolean) => void;
}

/** Folders never worth watching (dependencies, build output, version control): the walker excludes them anyway. */
const UNWATCHED_DIRS: ReadonlySet<string> = new Set(BUILTIN_EXCLUDES.filter((e) => e.endsWith('/') && !e.includes('*')).map((e) => e.slice(0, -1)));
/** Saves come in bursts (format-on-save, a branch switch): changed paths are collected this long. */
const SETTLE_MS = 150;

/**
 * Keeps one index current while a long-lived driver (the MCP server, the resident CLI) runs: a full update in the
 * background at start, then only the changed paths, one update at a time, coalescing changes that
 * arrive meanwhile. Searches go on against what is committed.
 */
export class LiveIndex {
  private watchers: TreeWatcher[] = [];
  private starting: Promise<void> | null = null;
  private pending = new Set<string>();
  private fullPending = false;
  private draining: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private phase: LiveState['phase'] = 'indexing';
  private progress: LiveState['progress'] = null;
  private lastUpdatedAt: number | null = null;
  private error: string | null = null;
  private closed = false;
  private watching = true;
  private failure: unknown = null;

  constructor(private readonly ws: Workspace, private readonly options: LiveIndexOptions) {}

  /**
   * Starts the file watchers and, once they are set up, the first full update; returns at once. In
   * that order, a change made while the update walks is seen by a watcher, never lost between them.
   */
  start(): void {
    this.fullPending = true;
    const ready: Array<Promise<void>> = [];
    for (const root of this.ws.config.roots) {
      const watcher = watchTree(root.path, {
        // The index's own files may sit inside a root (`--db .sourceline/index.db`): their writes are not changes to index.
        ignored: (file) => UNWATCHED_DIRS.has(path.basename(file)) || file.startsWith(this.ws.config.dbPath),
        onChange: (file) => this.changed(file),
        onError: (error) => {
          // A watcher that fails (the system's limit on watches) degrades to full updates on demand.
          this.watching = false;
          this.options.log(`${this.options.label}: watching ${root.path} failed (${describe(error)}); changes are picked up on the next full update`);
        },
      });
      ready.push(watcher.ready);
      this.watchers.push(watcher);
    }
    // Until the first update has run, idle() waits for it (a search then answers from a current index).
    this.starting = Promise.all(ready).then(() => {
      this.starting = null;
      this.kick();
    });
  }

  state(): LiveState {
    return { phase: this.phase, progress: this.progress, lastUpdatedAt: this.lastUpdatedAt, pendingFiles: this.pending.size, error: this.error, watching: this.watching };
  }

  /** Resolves when no update is running or waiting (tests, and a status that wants settled numbers). */
  async idle(): Promise<void> {
    while (this.starting !== null || this.draining !== null || this.timer !== null) {
      if (this.starting !== null) await this.starting;
      else if (this.draining !== null) await this.draining;
      else await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    }
  }

  /** The error the last update failed with (null after one that succeeded), for a caller that reports it as its own. */
  lastFailure(): unknown {
    return this.failure;
  }

  /** Asks for a full walk (after a watcher error, or on request). */
  refresh(): void {
    this.fullPending = true;
    this.kick();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const watcher of this.watchers) watcher.close();
    if (this.starting !== null) await this.starting;
    if (this.draining !== null) await this.draining;
  }

  private changed(file: string): void {
    if (this.closed) return;
    this.pending.add(file);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, SETTLE_MS);
  }

  private kick(): void {
    if (this.draining !== null || this.closed) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      // Changes that arrived during the last update.
      if ((this.pending.size > 0 || this.fullPending) && this.timer === null) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (!this.closed && (this.fullPending || this.pending.size > 0)) {
      const full = this.fullPending;
      const only = full ? undefined : new Set(this.pending);
      this.fullPending = false;
      this.pending.clear();
      try {
        const onProgress = (p: IndexProgress): void => {
          this.progress = { done: p.filesDone, total: p.filesTotal };
        };
        const summary = await this.ws.update(full ? onProgress : undefined, undefined, undefined, only);
        this.lastUpdatedAt = Date.now();
        this.progress = null;
        this.phase = 'ready';
        this.error = null;
        this.failure = null;
        this.options.onUpdate?.(summary, full);
        if (full) this.options.log(`${this.options.label}: indexed ${summary.filesIndexed} of ${summary.filesSeen} files`);
      } catch (error) {
        this.progress = null;
        this.phase = this.lastUpdatedAt === null ? 'failed' : 'ready';
        this.error = describe(error);
        this.failure = error;
        this.options.log(`${this.options.label}: index update failed: ${this.error}`);
        return;
      }
    }
  }
}
