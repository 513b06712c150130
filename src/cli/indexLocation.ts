import { indexFolderName } from '../engine/store/indexKey';
import * as os from 'node:os';
import * as path from 'node:path';

/** The user's cache folder, per platform conventions. */
export function userCacheDir(): string {
  const env = process.env;
  if (process.platform === 'win32') return env['LOCALAPPDATA'] ?? path.join(os.homedir(), 'AppData', 'Local');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches');
  return env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache');
}

/**
 * Where the index for a set of roots lives when --db is not given: outside the repository, in the
 * user cache, one folder per set of roots (named after the first for humans, keyed by a hash).
 */
export function defaultDbPath(rootPaths: readonly string[]): string {
  const base = process.env['SOURCELINE_CACHE_DIR'] ?? path.join(userCacheDir(), 'sourceline');
  return path.join(base, 'indexes', indexFolderName(rootPaths), 'index.db');
}
