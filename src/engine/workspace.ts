import { statSync } from 'node:fs';
import type { Embedder } from './embed/embedder';
import { indexRoots, type IndexProgress, type IndexSummary } from './indexer';
import { IndexStore } from './store/indexStore';
import { isCorruption, moveAsideAndRecreate } from './store/openDatabase';
import { readStatus, type IndexStatus } from './store/status';
import { search, type SearchOptions, type SearchOutcome } from './retrieve/search';
import type { Root } from './types';
import type { WalkOptions } from './walk/walk';
import { createError } from '../shared/errors';

export interface WorkspaceConfig {
  readonly roots: readonly Root[];
  readonly dbPath: string;
  readonly walk: WalkOptions;
  readonly embedder: Embedder;
  /**
   * Whether this instance may rebuild a damaged index itself (default yes). A reader beside another
   * writer (the language server's main thread) must not: it reports `index-corrupt` and the writer
   * rebuilds.
   */
  readonly recover?: boolean;
}

/**
 * The engine as its drivers (CLI, language server, benchmarks) use it: one index over some roots.
 * Corruption found mid-operation is handled here once: the file is moved aside, the index rebuilt,
 * and the operation retried, with a notice for the user.
 */
export class Workspace {
  private store: IndexStore;
  private notices: string[] = [];

  private constructor(readonly config: WorkspaceConfig, quickCheck: boolean) {
    this.store = IndexStore.open(config.dbPath, { quickCheck });
    if (this.store.notice !== null) this.notices.push(this.store.notice);
  }

  /** Opens the index; `quickCheck` verifies the file first (worth it before indexing). */
  static open(config: WorkspaceConfig, options: { quickCheck: boolean } = { quickCheck: false }): Workspace {
    return new Workspace(config, options.quickCheck);
  }

  /** Messages for the user about what happened to the index file (moved aside, rebuilt). */
  takeNotices(): string[] {
    const out = this.notices;
    this.notices = [];
    return out;
  }

  get embedder(): Embedder {
    return this.config.embedder;
  }

  /** The open store, for the eval and benchmarks that measure its parts. */
  get indexStore(): IndexStore {
    return this.store;
  }

  /** `overlays`: open editors' texts; `only`: just these files, without walking (see IndexRequest). */
  update(onProgress?: (p: IndexProgress) => void, signal?: AbortSignal, overlays?: ReadonlyMap<string, string>, only?: ReadonlySet<string>): Promise<IndexSummary> {
    return this.withRecovery(() =>
      indexRoots(this.store, {
        roots: this.config.roots, walk: this.config.walk, embedder: this.config.embedder,
        ...(onProgress === undefined ? {} : { onProgress }),
        ...(signal === undefined ? {} : { signal }),
        ...(overlays === undefined ? {} : { overlays }),
        ...(only === undefined ? {} : { only }),
      }),
    );
  }

  search(text: string, options: SearchOptions): Promise<SearchOutcome> {
    return this.withRecovery(() => search(this.store, this.config.embedder, text, options));
  }

  /** Files the index knows, indexed or skipped (what a full walk last saw, kept up by partial runs). */
  knownFiles(): number {
    return Number(this.store.db.prepare('SELECT count(*) FROM files').pluck().get());
  }

  status(): IndexStatus {
    return readStatus(this.store.db, this.dbSize());
  }

  close(): void {
    this.store.close();
  }

  private dbSize(): number {
    let size = 0;
    for (const suffix of ['', '-wal']) {
      try {
        size += statSync(this.config.dbPath + suffix).size;
      } catch {
        // no WAL file: nothing to add
      }
    }
    return size;
  }

  private async rebuildAfter(error: unknown): Promise<void> {
    this.store.close();
    const notice = moveAsideAndRecreate(this.config.dbPath, error);
    this.store = IndexStore.open(this.config.dbPath, { quickCheck: false });
    this.notices.push(notice);
    await indexRoots(this.store, { roots: this.config.roots, walk: this.config.walk, embedder: this.config.embedder });
  }

  private async withRecovery<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (!isCorruption(error)) throw error;
      if (this.config.recover === false) throw createError('index-corrupt', `The index at ${this.config.dbPath} is damaged; it is being rebuilt.`, error);
      await this.rebuildAfter(error);
      return operation();
    }
  }
}
