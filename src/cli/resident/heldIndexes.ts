import type { IndexSummary } from '../../engine/indexer';
import { LiveIndex } from '../../engine/liveIndex';
import type { Workspace } from '../../engine/workspace';
import { describe } from '../../shared/errors';
import type { CliArgs } from '../args';
import { formatSummary } from '../format';
import { dbPathOf, openWorkspace } from '../openWorkspace';
import { fileIdentity } from './fileIdentity';

/** Indexes kept open at once; the least recently searched is closed past this. */
const MAX_HELD = 4;

interface Held {
  readonly key: string;
  readonly ws: Workspace;
  /** The database file's device and inode when opened: another process may move it aside and rebuild it. */
  readonly file: string | null;
  /** Started by the first search that updates; keeps the index current from then on. */
  live: LiveIndex | null;
  /** The first full update's summary, said by the search that waited for it. */
  firstSummary: IndexSummary | null;
  /** Files re-indexed or deleted by the watcher since the last search that updated. */
  changedSinceLastSearch: number;
  lastUsed: number;
}

/** What makes two command lines search the same index the same way. */
function keyOf(args: CliArgs): string {
  return JSON.stringify([dbPathOf(args), args.roots, args.embeddingModel ?? null, args.maxFileBytes]);
}

/**
 * The indexes the resident process holds open, one per command-line configuration: their caches
 * (sign bits, term counts, the model) stay warm between searches, and what other processes commit
 * is seen at once (SQLite's data version; see store/indexState.ts). A search that updates starts a
 * watcher on the roots (LiveIndex), so later ones wait only for files changed since, not a walk.
 */
export class HeldIndexes {
  private readonly held = new Map<string, Held>();

  constructor(private readonly log: (message: string) => void) {}

  /** The open index for these arguments, reopened when its file was replaced underneath. */
  async acquire(args: CliArgs): Promise<Held> {
    const key = keyOf(args);
    const existing = this.held.get(key);
    if (existing !== undefined && existing.file !== null && existing.file === fileIdentity(existing.ws.config.dbPath)) {
      existing.lastUsed = Date.now();
      return existing;
    }
    if (existing !== undefined) {
      this.log(`index ${existing.ws.config.dbPath} was replaced on disk: reopening it`);
      await this.release(existing);
    }
    const ws = openWorkspace(args, false);
    const entry: Held = { key, ws, file: fileIdentity(ws.config.dbPath), live: null, firstSummary: null, changedSinceLastSearch: 0, lastUsed: Date.now() };
    this.held.set(key, entry);
    await this.evictBeyond(MAX_HELD);
    return entry;
  }

  /** Brings the index current for a search that updates; the line says what was done. */
  async freshen(entry: Held): Promise<string> {
    if (entry.live === null) {
      const live = new LiveIndex(entry.ws, {
        label: 'sourceline resident',
        log: this.log,
        onUpdate: (summary, full) => {
          if (full && entry.firstSummary === null) entry.firstSummary = summary;
          else entry.changedSinceLastSearch += summary.filesIndexed + summary.filesDeleted;
        },
      });
      entry.live = live;
      live.start();
    } else if (!entry.live.state().watching || entry.live.lastFailure() !== null) {
      // Without a watcher only a walk sees changes, as in a search of its own; a failed update is tried again.
      entry.live.refresh();
    }
    // Watcher events already queued are taken in first: a save made before this search started is part of it.
    await new Promise((resolve) => setImmediate(resolve));
    await entry.live.idle();
    const failure = entry.live.lastFailure();
    if (failure !== null) throw failure;
    if (entry.firstSummary !== null) {
      const first = formatSummary(entry.firstSummary, entry.ws.status().chunks);
      entry.firstSummary = null;
      entry.changedSinceLastSearch = 0;
      return first;
    }
    const changed = entry.changedSinceLastSearch;
    entry.changedSinceLastSearch = 0;
    // No chunk count here: counting 1M chunks' rows would be a third of a warm search's time.
    return `Index kept current by the resident process (${changed.toLocaleString('en-US')} changed since the last search)`;
  }

  /** Closes every index (watchers first, so no update starts on a closed store). */
  async closeAll(): Promise<void> {
    await this.evictBeyond(0);
  }

  private async evictBeyond(limit: number): Promise<void> {
    const byAge = [...this.held.values()].sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of byAge.slice(0, Math.max(0, byAge.length - limit))) await this.release(entry);
  }

  private async release(entry: Held): Promise<void> {
    this.held.delete(entry.key);
    try {
      await entry.live?.close();
      entry.ws.close();
    } catch (error) {
      this.log(`closing ${entry.ws.config.dbPath} failed: ${describe(error)}`);
    }
  }
}
