import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
});
