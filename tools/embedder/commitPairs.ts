/**
 * Commit message → changed code pairs from a repository's history: for each informative commit
 * (the dev benchmark's filters: no merges, releases, bumps or formatting; at most five code files),
 * the unit at the pin that still holds most of the lines the commit added. Code that moved since the
 * commit finds no unit and gives no pair, so every positive is code the message really describes.
 */
import { spawnSync } from 'node:child_process';
import { cleanBody, cleanSubject, isCodeFile, isInformativeSubject } from '../devsets/commitFilters';
import type { Unit } from './units';

export interface CommitPair {
  readonly commit: string;
  readonly query: string;
  readonly unit: Unit;
}

const MAX_FILES = 5;
/** Added lines shorter than this ("}", "return x;") prove nothing about where a change lives. */
const MIN_TELLING_LINE = 12;
/** A unit must hold at least this many of the commit's telling lines. */
const MIN_MATCHED = 2;
/** Pairs per commit: the best unit of each of its files, up to this many. */
const MAX_UNITS_PER_COMMIT = 2;
/** Words of the body kept after the subject: issue-like text, bounded like a pasted report. */
const BODY_WORDS = 80;

interface ParsedCommit {
  readonly commit: string;
  readonly subject: string;
  readonly body: string;
  readonly added: Map<string, string[]>;
}

/** Parses `git log -p -U0` output framed by \x01 (commit start) and \x02 (end of message). */
function parseLog(log: string): ParsedCommit[] {
  const out: ParsedCommit[] = [];
  for (const entry of log.split('\x01').slice(1)) {
    const split = entry.indexOf('\x02');
    const [commit = '', subject = '', body = ''] = entry.slice(0, split).split('\x00');
    const added = new Map<string, string[]>();
    let file: string | null = null;
    for (const line of entry.slice(split + 1).split('\n')) {
      if (line.startsWith('+++ ')) {
        file = line.startsWith('+++ b/') ? line.slice(6) : null;
        if (file !== null && !added.has(file)) added.set(file, []);
      } else if (file !== null && line.startsWith('+')) {
        const t = line.slice(1).trim();
        if (t.length >= MIN_TELLING_LINE) added.get(file)?.push(t);
      }
    }
    out.push({ commit, subject, body, added });
  }
  return out;
}

function bestUnit(units: readonly Unit[], added: readonly string[]): Unit | null {
  let best: Unit | null = null;
  let bestCount = MIN_MATCHED - 1;
  for (const u of units) {
    let n = 0;
    for (const l of added) if (u.lines.has(l)) n++;
    if (n > bestCount) {
      best = u;
      bestCount = n;
    }
  }
  return best;
}

/** Pairs from the `history` newest non-merge commits up to `pin` of the bare repository `mirror`. */
export function commitPairs(mirror: string, pin: string, history: number, unitsByPath: ReadonlyMap<string, readonly Unit[]>): CommitPair[] {
  const run = spawnSync('git', ['-C', mirror, 'log', '--no-merges', '-n', String(history), '--format=%x01%H%x00%s%x00%b%x02', '-p', '-U0', '--no-color', '--no-renames', '--diff-filter=AM', pin], { encoding: 'utf8', maxBuffer: 2 * 1024 * 1024 * 1024 });
  // A mirror missing an old object (a partial fetch) fails part-way: the commits read before it are
  // whole, the last one may not be, so it is dropped.
  let log = run.stdout;
  if (run.status !== 0) {
    process.stderr.write(`[mine] git log stopped early in ${mirror} (${run.stderr.trim().split('\n')[0] ?? ''}); using the commits read before\n`);
    log = log.slice(0, Math.max(0, log.lastIndexOf('\x01')));
  }
  const pairs: CommitPair[] = [];
  for (const c of parseLog(log)) {
    const subject = cleanSubject(c.subject);
    const code = [...c.added.keys()].filter(isCodeFile);
    if (!isInformativeSubject(subject) || code.length === 0 || code.length > MAX_FILES) continue;
    const body = cleanBody(c.body);
    const query = body === null ? subject : `${subject}\n${body.split(/\s+/).slice(0, BODY_WORDS).join(' ')}`;
    let kept = 0;
    for (const file of code) {
      const unit = bestUnit(unitsByPath.get(file) ?? [], c.added.get(file) ?? []);
      if (unit === null) continue;
      pairs.push({ commit: c.commit, query, unit });
      if (++kept >= MAX_UNITS_PER_COMMIT) break;
    }
  }
  return pairs;
}
