/**
 * Mines commit subject → changed source files cases from each dev repository's history before its pin
 * and writes them to bench/dev/commits/<name>.json (small derived data: subjects and paths only).
 * Usage: node dist/tools/mineCommits.js [--per-repo 40] [--history 2000]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { sha256 } from '../../src/engine/hash';
import { cleanBody, cleanSubject, isCodeFile, isInformativeSubject } from './commitFilters';
import { DEV_DATA, devRepos, git, mirrorOf, type DevRepo } from '../../bench/devsets/repos';

export interface MinedCommit {
  readonly commit: string;
  readonly query: string;
  readonly files: readonly string[];
  /** The message body when it is long enough to stand for pasted issue text (a `long` query). */
  readonly body?: string;
}

/** Commits naming more code files than this are sweeping changes, not a located behaviour. */
const MAX_FILES = 5;

function mine(repo: DevRepo, history: number, perRepo: number): MinedCommit[] {
  const mirror = mirrorOf(repo);
  const atPin = new Set(git(mirror, ['ls-tree', '-r', '--name-only', repo.commit]).split('\n'));
  const log = git(mirror, ['log', '--no-merges', '--format=%x01%H%x00%s%x00%b%x02', '--name-only', '-n', String(history), repo.commit]);
  const cases: MinedCommit[] = [];
  for (const entry of log.split('\x01').slice(1)) {
    const [head = '', names = ''] = entry.split('\x02');
    const rest = names.split('\n');
    const [commit = '', subject = '', rawBody = ''] = head.split('\x00');
    const body = cleanBody(rawBody);
    const query = cleanSubject(subject);
    const changed = rest.map((l) => l.trim()).filter((l) => l !== '');
    const code = changed.filter(isCodeFile);
    if (!isInformativeSubject(query)) continue;
    if (code.length === 0 || code.length > MAX_FILES || !code.every((f) => atPin.has(f))) continue;
    cases.push({ commit, query, files: code, ...(body === null ? {} : { body }) });
  }
  // A stable sample across the whole window, not just the newest commits; only commits whose
  // change is still in the pinned tree (code that moved elsewhere since makes a wrong gold).
  const sample: MinedCommit[] = [];
  for (const c of cases.sort((a, b) => sha256(a.commit).localeCompare(sha256(b.commit)))) {
    const files = c.files.filter((f) => stillThere(mirror, repo.commit, c.commit, f));
    if (files.length > 0) sample.push({ ...c, files });
    if (sample.length >= perRepo) break;
  }
  return sample;
}

/** Lines shorter than this ("}", "return x;") prove nothing about where a change lives. */
const MIN_TELLING_LINE = 16;

/** Whether most of the telling lines the commit added to `file` are still in it at the pin. */
function stillThere(mirror: string, pin: string, commit: string, file: string): boolean {
  const diff = git(mirror, ['show', '--format=', '--unified=0', '--no-color', commit, '--', file]);
  const added = diff.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++')).map((l) => l.slice(1).trim()).filter((l) => l.length >= MIN_TELLING_LINE);
  if (added.length === 0) return false;
  let now: string;
  try {
    now = git(mirror, ['show', `${pin}:${file}`]);
  } catch {
    return false;
  }
  const lines = new Set(now.split('\n').map((l) => l.trim()));
  return added.filter((l) => lines.has(l)).length * 2 >= added.length;
}

function main(): void {
  const arg = (name: string, fallback: number): number => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const perRepo = arg('--per-repo', 40);
  const history = arg('--history', 2000);
  const out = path.join(DEV_DATA, 'commits');
  mkdirSync(out, { recursive: true });
  let total = 0;
  for (const repo of devRepos()) {
    const cases = mine(repo, history, perRepo);
    total += cases.length;
    writeFileSync(path.join(out, `${repo.name}.json`), `${JSON.stringify({ repo: repo.github, pin: repo.commit, minedFrom: `the ${history} newest non-merge commits up to the pin`, cases }, null, 1)}\n`);
    process.stderr.write(`${repo.name}: ${cases.length} cases\n`);
  }
  process.stderr.write(`${total} cases\n`);
}

main();
