import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import * as path from 'node:path';
import { residentAddress } from './address';

/** The hidden command line that makes a CLI process the resident one (`sourceline __resident`). */
export const RESIDENT_COMMAND = '__resident';

/**
 * Starts a resident search process for the next searches, detached so it outlives this one and
 * needs nothing from it; its stderr goes to its log file. A second one started meanwhile finds the
 * first listening and exits (resident/server.ts), so racing starts cost a process start, no more.
 */
export function startResident(bundle: string, launcher: string): void {
  const address = residentAddress(bundle);
  if (address === null) return;
  let log: number | null = null;
  try {
    log = openSync(address.log, 'a', 0o600);
    // Its working folder is the socket's: it must not keep the folder of whichever search started it in use.
    const child = spawn(process.execPath, [launcher, RESIDENT_COMMAND], { detached: true, stdio: ['ignore', 'ignore', log], env: process.env, cwd: path.dirname(address.socket) });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // Without a resident process every search runs in its own, as before: slower, never wrong.
  } finally {
    if (log !== null) closeSync(log);
  }
}
