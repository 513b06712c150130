import { spawnSync } from 'node:child_process';
import { analyzeQuery } from '../src/engine/retrieve/query';
import { percentile, round } from './stats';

export interface RipgrepLatency {
  readonly available: boolean;
  readonly version: string | null;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly note: string;
}

/**
 * ripgrep answering the benches' lexical queries on the same folder: `rg -i -l` with the terms our
 * lexical query matches, one process per query (start included). Installed from Debian when missing
 * and this process may (root).
 */
export function ripgrepLatency(folder: string, queries: readonly string[], rounds: number, log: (message: string) => void): RipgrepLatency {
  let version = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  if (version.status !== 0 && process.getuid?.() === 0) {
    log('ripgrep missing: installing Debian package ripgrep');
    spawnSync('apt-get', ['install', '-y', '-q', 'ripgrep'], { stdio: 'ignore' });
    version = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  }
  if (version.status !== 0) return { available: false, version: null, p50: null, p95: null, note: 'rg not installed (apt-get install ripgrep)' };
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const terms = (analyzeQuery(q).match ?? '').split(' OR ').map((t) => t.replace(/^"|"$/g, ''));
      const t0 = performance.now();
      spawnSync('rg', ['-i', '-l', ...terms.flatMap((t) => ['-e', t]), folder], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      times.push(performance.now() - t0);
    }
  }
  return {
    available: true,
    version: (version.stdout.split('\n')[0] ?? '').trim(),
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    note: 'rg -i -l with the same terms as our lexical query: lists matching files, no ranking; process start included',
  };
}
