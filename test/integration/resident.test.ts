import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { residentAddress, type ResidentAddress } from '../../src/cli/resident/address';
import { residentPid, runInResident, stopResident, waitForResident } from '../../src/cli/resident/client';
import { CLI } from '../helpers/cli';
import { FakeOpenAI } from '../helpers/fakeOpenAI';
import { SMALL_PROJECT } from '../helpers/smallProject';
import { tempDir } from '../helpers/tmp';

const BUNDLE = path.resolve(__dirname, '../../dist/cli.js');
const LAUNCHER = path.resolve(__dirname, '../../dist/launch.js');

const PROJECT = SMALL_PROJECT;

interface Resident {
  readonly env: NodeJS.ProcessEnv;
  readonly address: ResidentAddress;
}

/** An environment of its own (its socket folder), so each test has its own resident process. */
function residentEnv(extra: Record<string, string> = {}): Resident {
  const env = { ...process.env, SOURCELINE_RESIDENT: '1', XDG_RUNTIME_DIR: tempDir(), SOURCELINE_CACHE_DIR: tempDir(), ...extra };
  const address = residentAddress(BUNDLE, env);
  if (address === null) throw new Error('no resident address');
  return { env, address };
}

function cli(resident: Resident | null, args: readonly string[], cwd?: string): { code: number; stdout: string; stderr: string } {
  const env = resident === null ? { ...process.env, SOURCELINE_RESIDENT: '0' } : resident.env;
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, env, ...(cwd === undefined ? {} : { cwd }) });
  return { code: run.status ?? -1, stdout: String(run.stdout), stderr: String(run.stderr) };
}

/** As `cli`, without blocking this process (whose fake model endpoint must go on answering meanwhile). */
function cliAsync(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, SOURCELINE_RESIDENT: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const waitForPid = (socket: string): Promise<number> => waitForResident(socket, 20_000);

/** Starts the resident process directly (as a search would) and waits for it to answer. */
async function startResident(resident: Resident): Promise<number> {
  const child = spawn(process.execPath, [LAUNCHER, '__resident'], { env: resident.env, stdio: 'ignore', detached: true });
  child.unref();
  return waitForPid(resident.address.socket);
}

/** A search served by the resident process, or null when it was not. */
async function viaResident(resident: Resident, args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string } | null> {
  let stdout = '';
  let stderr = '';
  const code = await runInResident(resident.address.socket, args, cwd, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return code === null ? null : { code, stdout, stderr };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(condition()).toBe(true);
}

async function withResident(resident: Resident, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    await stopResident(resident.address.socket);
  }
}

describe('resident search process', () => {
  it('a search started without one starts one, and the next search through the launcher prints what a process of its own prints', async () => {
    const root = tempDir(PROJECT);
    const db = path.join(tempDir(), 'i.db');
    const resident = residentEnv();
    await withResident(resident, async () => {
      const args = ['search', 'refresh session token', '--root', root, '--db', db, '--json', '--limit', '2'];
      const first = cli(resident, args);
      expect(first.code).toBe(0);
      await waitForPid(resident.address.socket);
      const served = cli(resident, [...args, '--no-update']);
      const alone = cli(null, [...args, '--no-update']);
      expect(served).toEqual(alone);
      expect(await viaResident(resident, [...args, '--no-update'], root)).toEqual({ code: 0, stdout: alone.stdout, stderr: alone.stderr });
      expect(served.stdout).toMatch(/^\{\n {2}"query": "refresh session token",\n {2}"results": \[\n {4}\{\n {6}"path": "src\/session.ts",\n {6}"startLine": 1,\n {6}"endLine": 4,/);
      // Bad arguments: the same message and exit code either way.
      expect(cli(resident, ['search', 'x', '--limit', 'zero'])).toEqual(cli(null, ['search', 'x', '--limit', 'zero']));
    });
  });

  it('answers as a process of its own does: sources only, and streamed from a model endpoint', async () => {
    const root = tempDir(PROJECT);
    const db = path.join(tempDir(), 'i.db');
    const resident = residentEnv();
    const fake = new FakeOpenAI([{ kind: 'stream', text: 'Sessions are refreshed by refreshSession [1].' }]);
    const baseUrl = await fake.start();
    try {
      await withResident(resident, async () => {
        await startResident(resident);
        expect(cli(null, ['index', '--root', root, '--db', db]).code).toBe(0);
        for (const extra of [[], ['--json'], ['--base-url', baseUrl, '--model', 'fake-model']]) {
          const args = ['ask', 'how are sessions refreshed', '--root', root, '--db', db, '--no-update', ...extra];
          const alone = await cliAsync(args);
          expect(alone.code).toBe(0);
          expect(await viaResident(resident, args, root)).toEqual({ code: 0, stdout: alone.stdout, stderr: alone.stderr });
        }
        expect(fake.requests.length).toBe(2);
      });
    } finally {
      await fake.stop();
    }
  });

  it('stops a model\'s answer when the command that asked for it goes away (Ctrl+C)', async () => {
    const root = tempDir(PROJECT);
    const db = path.join(tempDir(), 'i.db');
    const resident = residentEnv();
    const fake = new FakeOpenAI([{ kind: 'drip', everyMs: 50 }]);
    const baseUrl = await fake.start();
    try {
      await withResident(resident, async () => {
        await startResident(resident);
        expect(cli(null, ['index', '--root', root, '--db', db]).code).toBe(0);
        const asking = spawn(process.execPath, [CLI, 'ask', 'how are sessions refreshed', '--root', root, '--db', db, '--no-update', '--base-url', baseUrl, '--model', 'm'], { env: resident.env, stdio: 'ignore' });
        await until(() => fake.openResponses() === 1);
        asking.kill('SIGKILL');
        await until(() => fake.openResponses() === 0);
        expect(fake.requests.length).toBe(1);
        // The process goes on serving.
        expect(await residentPid(resident.address.socket)).toBeGreaterThan(0);
      });
    } finally {
      await fake.stop();
    }
  });

  it('serves searching and answering only: any other command is declined and runs in its own process', async () => {
    const resident = residentEnv();
    const root = tempDir(PROJECT);
    await withResident(resident, async () => {
      await startResident(resident);
      expect(await viaResident(resident, ['status', '--root', root], root)).toBeNull();
      const help = await viaResident(resident, ['search', '--help'], root);
      expect(help?.code).toBe(0);
      expect(help?.stdout).toContain('Usage: sourceline');
    });
  });

  it('a search that updates sees a file saved since the last one (its watcher), and says so', async () => {
    const root = tempDir(PROJECT);
    const db = path.join(tempDir(), 'i.db');
    const resident = residentEnv();
    await withResident(resident, async () => {
      await startResident(resident);
      const args = ['search', 'quokkaFeeder', '--root', root, '--db', db, '--json'];
      const first = await viaResident(resident, args, root);
      expect(first?.code).toBe(0);
      expect(first?.stdout).not.toContain('src/zoo.ts');
      writeFileSync(path.join(root, 'src/zoo.ts'), 'export function quokkaFeeder(): number {\n  return 42;\n}\n');
      // The watcher sees the save; the next search waits for it to be indexed (retried: the event may take a moment).
      let found = false;
      let stderr = '';
      for (let i = 0; i < 50 && !found; i++) {
        const next = await viaResident(resident, args, root);
        found = next?.stdout.includes('src/zoo.ts') ?? false;
        stderr = next?.stderr ?? '';
        if (!found) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(found).toBe(true);
      expect(stderr).toBe('');
      const text = await viaResident(resident, args.filter((a) => a !== '--json'), root);
      expect(text?.stderr).toMatch(/Index kept current by the resident process \(0 changed since the last search\)/);
    });
  });

  it('sees what another process commits to the index, and an index file replaced underneath it', async () => {
    const root = tempDir(PROJECT);
    const db = path.join(tempDir(), 'i.db');
    const resident = residentEnv();
    await withResident(resident, async () => {
      await startResident(resident);
      const args = ['search', 'wombatCounter', '--root', root, '--db', db, '--json', '--no-update'];
      expect(cli(null, ['index', '--root', root, '--db', db]).code).toBe(0);
      expect((await viaResident(resident, args, root))?.stdout).not.toContain('src/wombat.ts');
      writeFileSync(path.join(root, 'src/wombat.ts'), 'export function wombatCounter(): number {\n  return 7;\n}\n');
      expect(cli(null, ['index', '--root', root, '--db', db]).code).toBe(0);
      expect((await viaResident(resident, args, root))?.stdout).toContain('src/wombat.ts');
      // The index removed and built again by another process: the resident one reads the new file, not the deleted one.
      for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
      rmSync(path.join(root, 'src/wombat.ts'));
      expect(cli(null, ['index', '--root', root, '--db', db]).code).toBe(0);
      const after = await viaResident(resident, args, root);
      expect(after?.code).toBe(0);
      expect(after?.stdout).not.toContain('src/wombat.ts');
    });
  });

  it('ends by itself after a quiet spell and removes its socket', async () => {
    const resident = residentEnv({ SOURCELINE_RESIDENT_IDLE_MS: '1500' });
    await withResident(resident, async () => {
      const pid = await startResident(resident);
      expect(pid).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 4000));
      expect(await residentPid(resident.address.socket)).toBeNull();
      expect(() => process.kill(pid, 0)).toThrow();
    });
  });

  it('a second one started beside a live one leaves it serving and ends', async () => {
    const resident = residentEnv();
    await withResident(resident, async () => {
      const pid = await startResident(resident);
      const second = spawnSync(process.execPath, [LAUNCHER, '__resident'], { env: resident.env, encoding: 'utf8', timeout: 30_000 });
      expect(second.status).toBe(0);
      expect(second.stderr).toContain('another resident process answers');
      expect(await residentPid(resident.address.socket)).toBe(pid);
    });
  });

  it('is not used where its socket folder could be another user\'s: open to others', () => {
    const runtime = tempDir();
    const env = { ...process.env, SOURCELINE_RESIDENT: '1', XDG_RUNTIME_DIR: runtime };
    mkdirSync(path.join(runtime, 'sourceline'), { mode: 0o700 });
    expect(residentAddress(BUNDLE, env)).not.toBeNull();
    chmodSync(path.join(runtime, 'sourceline'), 0o777);
    expect(residentAddress(BUNDLE, env)).toBeNull();
    expect(residentAddress(BUNDLE, { ...env, SOURCELINE_RESIDENT: '0' })).toBeNull();
  });
});
