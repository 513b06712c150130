import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CLI, runCli } from '../helpers/cli';
import { SMALL_PROJECT } from '../helpers/smallProject';
import { tempDir } from '../helpers/tmp';

const PROJECT = { ...SMALL_PROJECT, '.env': 'SECRET=1\n' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

describe('sourceline CLI', () => {
  it('search --json prints the contract shape', () => {
    const root = tempDir(PROJECT);
    const db = path.join(tempDir(), 'i.db');
    const run = runCli(['search', 'refresh session token', '--root', root, '--db', db, '--json', '--limit', '2']);
    expect(run.code).toBe(0);
    const out: unknown = JSON.parse(run.stdout);
    if (!isRecord(out)) throw new Error('not an object');
    expect(out['query']).toBe('refresh session token');
    const results = out['results'];
    if (!Array.isArray(results)) throw new Error('no results array');
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(2);
    expect(results[0]).toMatchObject({
      path: 'src/session.ts',
      startLine: 1,
      endLine: 4,
      snippet: expect.stringContaining('export function refreshSession'),
      sources: ['lexical', 'vector'],
    });
    expect(typeof (isRecord(results[0]) ? results[0]['score'] : undefined)).toBe('number');
  });

  it('docstring says where the draft goes: in place of the current docstring, at the body\'s indentation', () => {
    const root = tempDir(PROJECT);
    const db = path.join(tempDir(), 'i.db');
    const run = runCli(['docstring', '--file', path.join(root, 'src/util.py'), '--line', '3', '--root', root, '--db', db]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Goes: in place of lines 2-2 \(the current doc comment\), indented "    "\.$/m);
    const json: unknown = JSON.parse(runCli(['docstring', '--file', path.join(root, 'src/util.py'), '--line', '3', '--root', root, '--db', db, '--json']).stdout);
    expect(isRecord(json) ? json['placement'] : null).toEqual({ line: 2, indent: '    ', replaces: { startLine: 2, endLine: 2 }, anchor: '"""Turns a title into a URL slug."""' });
  });

  it('index prints a one-line summary with skips by reason; status explains them', () => {
    const root = tempDir(PROJECT);
    const db = path.join(tempDir(), 'i.db');
    const run = runCli(['index', '--root', root, '--db', db]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toMatch(/^Indexed 2 files \(2 changed\) · skipped 1 \(secret 1\) · \d+ chunks \(\d+ embedded\) · [\d.]+ s$/m);
    const status = runCli(['status', '--root', root, '--db', db, '--verbose']);
    expect(status.stdout).toMatch(/Files indexed: 2/);
    expect(status.stdout).toMatch(/secret: 1 — may contain secrets/);
    expect(status.stdout).toMatch(/\.env: secret \(file name suggests credentials\)/);
    expect(status.stdout).toMatch(/Model: sourceline-code-v2@/);
    const json: unknown = JSON.parse(runCli(['status', '--root', root, '--db', db, '--json']).stdout);
    expect(json).toMatchObject({ filesIndexed: 2, filesSkipped: 1, skippedByReason: { secret: 1 }, model: expect.stringMatching(/^sourceline-code-v2@/) });
    const why = runCli(['status', '--root', root, '--db', db, '--why', 'node_modules/x.js']);
    expect(why.stdout).toMatch(/excluded by \(built-in excludes\)/);
  });

  it('indexes a file skipped as too large once the cap is raised, and skips it again when lowered', () => {
    const root = tempDir({ 'big.ts': Array.from({ length: 100 }, (_, i) => `export const value${i} = 'a normal line of code';`).join('\n') });
    const db = path.join(tempDir(), 'i.db');
    expect(runCli(['index', '--root', root, '--db', db, '--max-file-size', '1000']).stdout).toMatch(/skipped 1 \(too-large 1\)/);
    expect(runCli(['index', '--root', root, '--db', db, '--max-file-size', '100000']).stdout).toMatch(/^Indexed 1 files \(1 changed\) · skipped 0/);
    expect(runCli(['index', '--root', root, '--db', db, '--max-file-size', '1000']).stdout).toMatch(/Indexed 0 files .* skipped 1 \(too-large 1\)/);
  });

  it('keeps the default index outside the repository, in the user cache', () => {
    const root = tempDir(PROJECT);
    const cache = tempDir();
    const run = runCli(['index'], { cwd: root, env: { ...process.env, XDG_CACHE_HOME: cache } });
    expect(run.code).toBe(0);
    const status = runCli(['status', '--json'], { cwd: root, env: { ...process.env, XDG_CACHE_HOME: cache } });
    const parsed: unknown = JSON.parse(status.stdout);
    expect(isRecord(parsed) ? String(parsed['db']) : '').toContain(path.join(cache, 'sourceline', 'indexes'));
  });

  it.each([
    [['search'], 2, /search needs a query/],
    [['frobnicate'], 2, /Unknown command "frobnicate"/],
    [['index', '--bogus'], 2, /Unknown option '--bogus'/],
    [['search', 'x', '--limit', 'many'], 2, /--limit takes a positive whole number/],
    [['index', '--root', '/definitely/not/here'], 1, /The root folder \/definitely\/not\/here does not exist/],
  ])('%j fails with one clear line', (args, code, message) => {
    const run = runCli(args, { cwd: tempDir(PROJECT) });
    expect(run.code).toBe(code);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    // A known failure, even one raised in the tuned child that runs `index`, is said as itself, not as a crash.
    expect(run.stderr).not.toMatch(/unexpected/);
  });

  it('an unusable --db location fails with one clear line', () => {
    const root = tempDir(PROJECT);
    const dir = path.join(tempDir(), 'a-folder');
    mkdirSync(dir);
    const run = runCli(['index', '--root', root, '--db', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/is a folder; give a file path with --db/);
    expect(run.stderr).not.toMatch(/unexpected/);
  });

  it('ends quietly when the reader closes the pipe early (search --json | head -c 1)', () => {
    // Far more JSON than a pipe buffers (64 KiB), so writes are still pending when `head` exits.
    const body = Array.from({ length: 12 }, (_, j) => `  const part${j} = request.url.slice(${j}) + ' handler request url';`).join('\n');
    const root = tempDir(Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`src/m${i}.ts`, `export function handler${i}(request: Request) {\n${body}\n  return part0;\n}\n`])));
    const db = path.join(tempDir(), 'i.db');
    expect(runCli(['index', '--root', root, '--db', db]).code).toBe(0);
    const cli = JSON.stringify(CLI);
    const run = spawnSync('bash', ['-c', `set -o pipefail; node ${cli} search handler request url --json --limit 400 --no-update --root ${JSON.stringify(root)} --db ${JSON.stringify(db)} | head -c 1`], { encoding: 'utf8' });
    expect(run.stdout).toBe('{');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('prints usage for --help', () => {
    const run = runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: sourceline <command>/);
  });
});
