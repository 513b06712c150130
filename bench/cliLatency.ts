import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { residentAddress } from '../src/cli/resident/address';
import { stopResident, waitForResident } from '../src/cli/resident/client';
import { percentile, round } from './stats';

/** The command users and agents run (the launcher, with its compile cache), not the bundle behind it. */
const CLI = path.resolve(__dirname, '..', '..', 'bin', 'sourceline.js');
const BUNDLE = path.resolve(__dirname, '..', 'cli.js');

export interface CliTimes {
  readonly p50: number;
  readonly max: number;
}

export interface WarmCliLatency {
  /** Through the resident search process the first search started (the default). */
  readonly resident: CliTimes & { readonly peakRssMiB: number | null };
  /** Each search in a process of its own (SOURCELINE_RESIDENT=0). */
  readonly ownProcess: CliTimes;
}

interface Options {
  readonly db: string;
  readonly cwd: string;
  readonly queries: readonly string[];
  /** Whether each search brings the index up to date first (the CLI default) or passes --no-update. */
  readonly update: boolean;
  readonly runs?: number;
}

function timedSearches(options: Options, env: NodeJS.ProcessEnv, runs: number, offset: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const query = options.queries[(i + offset) % options.queries.length] ?? 'lock';
    const t0 = performance.now();
    const run = spawnSync(process.execPath, [CLI, 'search', query, '--db', options.db, '--limit', '5', ...(options.update ? [] : ['--no-update'])], { cwd: options.cwd, encoding: 'utf8', env });
    times.push(performance.now() - t0);
    if (run.status !== 0) throw new Error(`sourceline search failed: ${run.stderr}`);
  }
  return times;
}

const summary = (times: readonly number[]): CliTimes => ({ p50: round(percentile(times, 50)), max: round(Math.max(...times)) });

function peakRssMiB(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : round(Number(kb) / 1024);
  } catch {
    return null;
  }
}

/**
 * `sourceline search` as a new process on a built index, both ways a user meets it: through the
 * resident process (started by a first search, then warmed by one more, neither timed: a user's
 * first search pays that once) and in a process of its own each time (the first run may leave the
 * compile cache the others use, as a user's first search does).
 */
export async function warmCliSearch(options: Options): Promise<WarmCliLatency> {
  const runs = options.runs ?? 5;
  const ownProcess = summary(timedSearches(options, { ...process.env, SOURCELINE_RESIDENT: '0' }, runs, 0));
  // A socket folder of the bench's own: the user's resident processes are neither used nor stopped.
  const runtime = mkdtempSync(path.join(os.tmpdir(), 'sourceline-bench-rt-'));
  const env = { ...process.env, SOURCELINE_RESIDENT: '1', XDG_RUNTIME_DIR: runtime };
  const address = residentAddress(BUNDLE, env);
  if (address === null) throw new Error('no resident address for the bench');
  try {
    timedSearches(options, env, 1, 0);
    const pid = await waitForResident(address.socket, 60_000);
    timedSearches(options, env, 1, 1);
    const times = timedSearches(options, env, runs, 2);
    return { resident: { ...summary(times), peakRssMiB: peakRssMiB(pid) }, ownProcess };
  } finally {
    await stopResident(address.socket);
    rmSync(runtime, { recursive: true, force: true });
  }
}
