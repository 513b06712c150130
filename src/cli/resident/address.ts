import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where the resident search process of this build and environment listens: a Unix socket in a
 * folder only this user can enter. Used by the launcher (to ask), the CLI (to start one) and the
 * resident process (to listen), so it is kept to node built-ins: the launcher must stay small.
 *
 * The socket's name is a hash of what changes a search's answer outside its arguments: the CLI
 * bundle (size and mtime, so a rebuild or an upgrade gets a new process and the old one idles out),
 * Node, and the environment the engine reads (cache folders, SOURCELINE_* settings and API keys:
 * an answer uses the key of the shell that asked, never one an older process was started with). Two
 * shells with different settings get two processes. The hash does not reveal a key.
 */
export interface ResidentAddress {
  readonly socket: string;
  /** The resident process's one log channel (its stderr). */
  readonly log: string;
}

/** Environment variables that can change what a search does or where its index is. */
function relevantEnv(env: NodeJS.ProcessEnv): string {
  const keys = Object.keys(env)
    .filter((k) => k.startsWith('SOURCELINE_') || k === 'HOME' || k === 'XDG_CACHE_HOME' || k === 'LOCALAPPDATA')
    .sort();
  return keys.map((k) => `${k}=${env[k] ?? ''}`).join('\n');
}

/** A folder for the sockets that nobody else can enter or have planted: this user's, mode 0700, not a link. */
function privateDir(env: NodeJS.ProcessEnv): string | null {
  const uid = process.getuid?.();
  if (uid === undefined) return null;
  const runtime = env['XDG_RUNTIME_DIR'];
  const dir = runtime !== undefined && runtime !== '' ? path.join(runtime, 'sourceline') : path.join(os.tmpdir(), `sourceline-${uid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o077) !== 0) return null;
    return dir;
  } catch {
    return null;
  }
}

/**
 * The address for the CLI bundle at `bundle`, or null when searches run in their own process only:
 * turned off (SOURCELINE_RESIDENT=0), on Windows (named pipes are not handled), or without a
 * private folder for the socket.
 */
export function residentAddress(bundle: string, env: NodeJS.ProcessEnv = process.env): ResidentAddress | null {
  if (env['SOURCELINE_RESIDENT'] === '0' || process.platform === 'win32') return null;
  let identity: string;
  try {
    const stat = statSync(bundle);
    identity = `${bundle}\n${stat.size}\n${Math.round(stat.mtimeMs)}\n${process.execPath}\n${process.version}\n${relevantEnv(env)}`;
  } catch {
    return null;
  }
  const dir = privateDir(env);
  if (dir === null) return null;
  const name = `search-${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`;
  return { socket: path.join(dir, `${name}.sock`), log: path.join(dir, `${name}.log`) };
}
