import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { percentile, round } from './stats';

/** The command users and agents run (the launcher, with its compile cache), not the bundle behind it. */
const CLI = path.resolve(__dirname, '..', '..', 'bin', 'sourceline.js');

/**
 * `sourceline search` as a new process on a built index, `runs` times (the first run may leave the
 * compile cache the others use, as a user's first search does). `update` walks the roots first (the CLI default).
 */
export function warmCliSearch(options: { db: string; cwd: string; queries: readonly string[]; update: boolean; runs?: number }): { p50: number; max: number } {
  const times: number[] = [];
  for (let i = 0; i < (options.runs ?? 5); i++) {
    const query = options.queries[i % options.queries.length] ?? 'lock';
    const t0 = performance.now();
    const run = spawnSync(process.execPath, [CLI, 'search', query, '--db', options.db, '--limit', '5', ...(options.update ? [] : ['--no-update'])], { cwd: options.cwd, encoding: 'utf8' });
    times.push(performance.now() - t0);
    if (run.status !== 0) throw new Error(`sourceline search failed: ${run.stderr}`);
  }
  return { p50: round(percentile(times, 50)), max: round(Math.max(...times)) };
}
