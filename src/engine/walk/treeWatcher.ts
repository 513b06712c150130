import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { errorCode } from '../../shared/errors';

export interface TreeWatchOptions {
  /** Paths not to watch or report (a folder is then not entered). */
  readonly ignored: (absPath: string) => boolean;
  /** A file or folder at this path was created, changed or removed (a new folder is reported as itself, not file by file). */
  readonly onChange: (absPath: string) => void;
  /** Watching cannot go on (the system's limit on watches reached): no further changes are reported. */
  readonly onError: (error: unknown) => void;
}

export interface TreeWatcher {
  /** Resolves once every folder present at the start is watched. */
  readonly ready: Promise<void>;
  /** Folders watched (one watch each on Linux). */
  readonly folders: () => number;
  close(): void;
}

/** Folders read at once while the watch is set up: enough to overlap the disk, few enough not to flood it. */
const SCAN_CONCURRENCY = 16;

/**
 * Watches a folder tree for changes. On Linux one inotify watch per folder, none per file: the tree
 * of names is the file system's, not a copy in this process (chokidar kept one: 1.1 GB and 14 s
 * to set up on a tree of 123k files). Elsewhere one recursive watch of the root (FSEvents, ReadDirectoryChangesW).
 */
export function watchTree(root: string, options: TreeWatchOptions): TreeWatcher {
  return process.platform === 'linux' ? new FolderWatches(root, options) : recursiveWatch(root, options);
}

function recursiveWatch(root: string, options: TreeWatchOptions): TreeWatcher {
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(root, { recursive: true, persistent: false }, (_event, name) => {
      const absPath = name === null ? root : path.join(root, name.toString());
      if (!options.ignored(absPath) && !ignoredBelow(root, absPath, options.ignored)) options.onChange(absPath);
    });
    watcher.on('error', (error) => options.onError(error));
  } catch (error) {
    options.onError(error);
  }
  return { ready: Promise.resolve(), folders: () => (watcher === null ? 0 : 1), close: () => watcher?.close() };
}

/** Whether a folder between `root` and `absPath` is ignored (a recursive watch reports inside them too). */
function ignoredBelow(root: string, absPath: string, ignored: (absPath: string) => boolean): boolean {
  for (let dir = path.dirname(absPath); dir.length > root.length; dir = path.dirname(dir)) if (ignored(dir)) return true;
  return false;
}

class FolderWatches implements TreeWatcher {
  readonly ready: Promise<void>;
  private readonly watches = new Map<string, FSWatcher>();
  private closed = false;

  constructor(root: string, private readonly options: TreeWatchOptions) {
    this.ready = this.addTree(root);
  }

  folders(): number {
    return this.watches.size;
  }

  close(): void {
    this.closed = true;
    for (const watcher of this.watches.values()) watcher.close();
    this.watches.clear();
  }

  /** Watches `dir` and every folder below it, a level at a time, a bounded number of listings in flight. */
  private async addTree(dir: string): Promise<void> {
    let level = [dir];
    while (level.length > 0 && !this.closed) {
      const below: string[] = [];
      for (let i = 0; i < level.length && !this.closed; i += SCAN_CONCURRENCY) {
        await Promise.all(level.slice(i, i + SCAN_CONCURRENCY).map(async (folder) => {
          if (!this.watchFolder(folder)) return;
          for (const sub of await subfolders(folder)) if (!this.options.ignored(sub)) below.push(sub);
        }));
      }
      level = below;
    }
  }

  /** False when the folder is watched already, ignored, gone, or watching has failed. */
  private watchFolder(dir: string): boolean {
    if (this.closed || this.watches.has(dir) || this.options.ignored(dir)) return false;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: false }, (event, name) => this.changed(dir, event, name === null ? null : name.toString()));
    } catch (error) {
      const code = errorCode(error);
      // Gone or unreadable before it could be watched: nothing there to follow. Anything else (ENOSPC: the watch limit) ends watching.
      if (code !== 'ENOENT' && code !== 'EACCES' && code !== 'ENOTDIR') this.fail(error);
      return false;
    }
    watcher.on('error', () => this.forget(dir));
    this.watches.set(dir, watcher);
    return true;
  }

  private changed(dir: string, event: string, name: string | null): void {
    if (this.closed) return;
    const absPath = name === null ? dir : path.join(dir, name);
    if (this.options.ignored(absPath)) return;
    this.options.onChange(absPath);
    // A name created or removed: a new folder is watched (with what is already inside it), a removed one forgotten.
    if (event === 'rename' && name !== null) void this.follow(absPath);
  }

  private async follow(absPath: string): Promise<void> {
    try {
      const stat = await lstat(absPath);
      if (stat.isDirectory() && !this.watches.has(absPath)) await this.addTree(absPath);
    } catch {
      this.forget(absPath);
    }
  }

  /** Stops watching a folder that went away, and every folder below it. */
  private forget(dir: string): void {
    const prefix = `${dir}${path.sep}`;
    for (const [watched, watcher] of this.watches) {
      if (watched === dir || watched.startsWith(prefix)) {
        watcher.close();
        this.watches.delete(watched);
      }
    }
  }

  private fail(error: unknown): void {
    if (this.closed) return;
    this.close();
    this.options.onError(error);
  }
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    // Links to folders are not followed, as the walk does not follow them.
    return entries.filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
}

