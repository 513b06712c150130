import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as path from 'node:path';

export const CLI = path.resolve(__dirname, '../../bin/sourceline.js');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI (npm test builds it first) as a user would. */
export function runCli(args: readonly string[], options: SpawnSyncOptions = {}): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, ...options });
  return { code: result.status ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
