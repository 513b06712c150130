import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isReserved, reservedNames } from '../reserved';

/** A public repository of the dev benchmarks, pinned (bench/dev/repos.json). */
export interface DevRepo {
  readonly name: string;
  readonly github: string;
  readonly commit: string;
  readonly language: string;
}

export const DEV_DATA = path.resolve(__dirname, '..', '..', 'bench', 'dev');
const MIRRORS = process.env['SOURCELINE_MIRRORS'] ?? '/work/.mirror';

function isDevRepo(value: unknown): value is DevRepo {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r['name'] === 'string' && typeof r['github'] === 'string' && typeof r['commit'] === 'string' && /^[0-9a-f]{40}$/.test(r['commit']) && typeof r['language'] === 'string';
}

export function devRepos(): DevRepo[] {
  return pinnedRepos(path.join(DEV_DATA, 'repos.json'));
}

/** A pinned repository list (`{ repos: [{ name, github, commit, language }] }`), checked against the reserved names. */
export function pinnedRepos(file: string): DevRepo[] {
  const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const list = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['repos'] : undefined;
  const shown = path.relative(process.cwd(), file);
  if (!Array.isArray(list) || !list.every(isDevRepo)) throw new Error(`${shown}: expected { repos: [{ name, github, commit (40 hex), language }] }`);
  const names = reservedNames();
  const clash = list.filter((r) => isReserved(r.github, names) || isReserved(r.name, names));
  if (clash.length > 0) throw new Error(`${shown} names repositories reserved for independent evaluation: ${clash.map((r) => r.github).join(', ')}`);
  return list;
}

/** The bare mirror of a repository, or an error that says how to bring it onto the machine. */
export function mirrorOf(repo: DevRepo): string {
  const dir = path.join(MIRRORS, repo.github.replace('/', '+'), 'repo');
  if (!existsSync(dir)) {
    throw new Error(`${repo.github} is not on this machine: bring it with the search tool's \`fetch github:${repo.github}\` (into ${path.dirname(dir)}), or set SOURCELINE_MIRRORS to a folder of <owner>+<name>/repo mirrors`);
  }
  return dir;
}

export function git(dir: string, args: readonly string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A working tree of the repository at its pin under `into` (reused when it is already there). */
export function checkout(repo: DevRepo, into: string): string {
  const dir = path.join(into, repo.name);
  if (existsSync(path.join(dir, '.git'))) {
    try {
      if (git(dir, ['rev-parse', 'HEAD']).trim() === repo.commit && git(dir, ['status', '--porcelain']).trim() === '') return dir;
    } catch {
      // Not a usable checkout: cloned again below.
    }
  }
  execFileSync('rm', ['-rf', dir]);
  execFileSync('git', ['clone', '-q', '--shared', '--no-checkout', mirrorOf(repo), dir]);
  git(dir, ['checkout', '-q', '--detach', repo.commit]);
  return dir;
}
