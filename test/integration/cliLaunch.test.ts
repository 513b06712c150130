import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('the sourceline command start', () => {
  it("runs from V8's compile cache, kept private to the user, and survives a damaged cache", () => {
    const home = tempDir({});
    const env = { ...process.env, XDG_CACHE_HOME: home };
    const first = runCli(['--help'], { env });
    expect(first.code).toBe(0);
    const dir = path.join(home, 'sourceline', 'compile-cache');
    const [name, ...others] = readdirSync(dir);
    expect(others).toEqual([]);
    const file = path.join(dir, name ?? '');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = statSync(file).mtimeMs;
    const second = runCli(['--help'], { env });
    expect(second).toEqual(first);
    // Accepted, so left as it was.
    expect(statSync(file).mtimeMs).toBe(written);
    // A damaged cache is rejected by V8 and written again; the command's output does not change.
    writeFileSync(file, Buffer.alloc(4096, 7));
    const damaged = runCli(['--help'], { env });
    expect(damaged).toEqual(first);
    expect(readFileSync(file).equals(Buffer.alloc(4096, 7))).toBe(false);
    // Errors still reach the user as before.
    const bad = runCli(['no-such-command'], { env });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/no-such-command|usage/i);
  });

  it('indexes in a child process tuned for it, which leaves the shared compile cache alone and passes on its exit code', () => {
    const home = tempDir({});
    const repo = tempDir({ 'src/greet.ts': 'export function greet(name: string): string {\n  return `hello ${name}`;\n}\n' });
    const env = { ...process.env, XDG_CACHE_HOME: home };
    const indexed = runCli(['index', '--root', repo, '--db', path.join(home, 'index.db')], { env });
    expect(indexed.code).toBe(0);
    expect(indexed.stdout + indexed.stderr).toMatch(/Indexed 1 file/);
    // The child ran the command (the launcher writes the cache after a run it compiled itself).
    expect(existsSync(path.join(home, 'sourceline', 'compile-cache'))).toBe(false);
    const missing = runCli(['index', '--root', path.join(repo, 'no-such-folder'), '--db', path.join(home, 'other.db')], { env });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no-such-folder/);
  });
});
