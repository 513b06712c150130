import { chmodSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSource } from '../../src/engine/walk/readSource';
import { DEFAULT_WALK_OPTIONS, explainPath, walkPath, walkRoot, type WalkEntry } from '../../src/engine/walk/walk';
import { tempDir } from '../helpers/tmp';
import { CLI, runCli } from '../helpers/cli';

async function walk(dir: string, maxFileBytes = DEFAULT_WALK_OPTIONS.maxFileBytes): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  for await (const e of walkRoot({ name: 'r', path: dir }, { maxFileBytes, extraExcludes: [] })) out.push(e);
  return out;
}

function candidates(entries: readonly WalkEntry[]): string[] {
  return entries.flatMap((e) => (e.type === 'candidate' ? [e.candidate.relPath] : []));
}

function skips(entries: readonly WalkEntry[]): Record<string, string> {
  return Object.fromEntries(entries.flatMap((e) => (e.type === 'skipped' ? [[e.skipped.relPath, e.skipped.reason]] : [])));
}

describe('walk: ignore rules', () => {
  it('honours .gitignore at every level, .git/info/exclude and the built-in excludes', async () => {
    const dir = tempDir({
      '.gitignore': '*.log\n/top-only.txt\n',
      '.git/info/exclude': 'secret-notes.md\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
      'a.ts': 'export const a = 1;\n',
      'debug.log': 'x\n',
      'top-only.txt': 'x\n',
      'secret-notes.md': 'x\n',
      'sub/top-only.txt': 'kept: the rule is anchored to the root\n',
      'sub/.gitignore': 'local.ts\n!keep.log\n',
      'sub/local.ts': 'x\n',
      'sub/keep.log': 'negated in a deeper .gitignore\n',
      'sub/deeper/local.ts': 'ignored by the parent rule too\n',
      'node_modules/lib/index.js': 'x\n',
      'dist/out.js': 'x\n',
      'package-lock.json': '{}\n',
      'app.js.map': '{}\n',
    });
    const found = candidates(await walk(dir));
    expect(found.sort()).toEqual(['.gitignore', 'a.ts', 'sub/.gitignore', 'sub/keep.log', 'sub/top-only.txt']);
  });

  it('re-includes a gitignored file through .sourcelineignore, even inside an ignored folder', async () => {
    const dir = tempDir({
      '.gitignore': 'generated/\n',
      '.sourcelineignore': '!generated/schema.graphql\nscratch/\n',
      'generated/schema.graphql': 'type Query { user: User }\n',
      'generated/other.ts': 'x\n',
      'scratch/tmp.ts': 'x\n',
      'src/main.ts': 'x\n',
    });
    const found = candidates(await walk(dir));
    expect(found).toContain('generated/schema.graphql');
    expect(found).not.toContain('generated/other.ts');
    expect(found).not.toContain('scratch/tmp.ts');
    expect(await explainPath({ name: 'r', path: dir }, 'generated/other.ts', DEFAULT_WALK_OPTIONS)).toMatch(/excluded by \.gitignore:1 \(generated\/\)/);
    expect(await explainPath({ name: 'r', path: dir }, 'generated/schema.graphql', DEFAULT_WALK_OPTIONS)).toMatch(/re-included by \.sourcelineignore:1/);
    expect(await explainPath({ name: 'r', path: dir }, 'node_modules/x/y.js', DEFAULT_WALK_OPTIONS)).toMatch(/built-in excludes/);
  });
});

describe('walk: skip reasons', () => {
  it('records secrets, binaries, oversize files, symlink loops and special files with a reason', async () => {
    const dir = tempDir({
      '.env': 'API_KEY=abc\n',
      '.env.production': 'API_KEY=abc\n',
      'certs/server.pem': '-----BEGIN PRIVATE KEY-----\n',
      'deploy/id_rsa': 'key\n',
      'config/credentials.json': '{}\n',
      'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
      'big.txt': 'x'.repeat(5000),
      'ok.ts': 'export {};\n',
    });
    mkdirSync(path.join(dir, 'loop'));
    symlinkSync(dir, path.join(dir, 'loop', 'back'));
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    const entries = await walk(dir, 4096);
    expect(skips(entries)).toEqual({
      '.env': 'secret',
      '.env.production': 'secret',
      'certs/server.pem': 'secret',
      'deploy/id_rsa': 'secret',
      'config/credentials.json': 'secret',
      'logo.png': 'binary',
      'big.txt': 'too-large',
      'loop/back': 'symlink-loop',
      pipe: 'special-file',
    });
    expect(candidates(entries)).toEqual(['ok.ts']);
  });

  it('indexes a secret-looking file only when .sourcelineignore re-includes it', async () => {
    const dir = tempDir({ '.sourcelineignore': '!.env.example\n', '.env.example': 'API_KEY=\n', '.env': 'API_KEY=1\n' });
    const entries = await walk(dir);
    expect(candidates(entries)).toContain('.env.example');
    expect(skips(entries)['.env']).toBe('secret');
  });

  it('classifies content: NUL bytes, minified, generated, data-like; decodes legacy encodings', async () => {
    const minified = `var a=1;${'function x(){return 1};'.repeat(600)}\n`;
    const dir = tempDir({
      'nul.dat.txt': new Uint8Array([0x61, 0x00, 0x62]),
      'app.min.js': 'var a=1;\n',
      'bundle.js': minified,
      'gen.ts': '// Code generated by protoc. DO NOT EDIT.\nexport const x = 1;\n',
      'numbers.txt': '1234567890 0987654321 5555\n'.repeat(100),
      'latin1.txt': new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]), // "café" in Latin-1
      'utf16.txt': new Uint8Array([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]), // "hi" in UTF-16LE with BOM
      'noise.txt': new Uint8Array(Array.from({ length: 400 }, (_, i) => (i % 7 === 0 ? 0x01 : 0x80 + (i % 100)))),
    });
    const results = new Map<string, Awaited<ReturnType<typeof readSource>>>();
    for (const e of await walk(dir)) if (e.type === 'candidate') results.set(e.candidate.relPath, await readSource(e.candidate, DEFAULT_WALK_OPTIONS.maxFileBytes));
    const reason = (p: string): string => {
      const r = results.get(p);
      return r === undefined ? 'missing' : r.type === 'skipped' ? r.file.reason : 'indexed';
    };
    expect(reason('nul.dat.txt')).toBe('binary');
    expect(reason('app.min.js')).toBe('minified');
    expect(reason('bundle.js')).toBe('minified');
    expect(reason('gen.ts')).toBe('generated');
    expect(reason('numbers.txt')).toBe('generated');
    expect(reason('noise.txt')).toBe('undecodable');
    const latin = results.get('latin1.txt');
    expect(latin?.type === 'source' ? latin.file.text : '').toBe('café\n');
    const utf16 = results.get('utf16.txt');
    expect(utf16?.type === 'source' ? utf16.file.text : '').toBe('hi');
  });

  it('records an unreadable file (as root, with the permission-override capabilities dropped)', () => {
    const dir = tempDir({ 'ok.ts': 'export const ok = 1;\n', 'locked.ts': 'export const secret = 1;\n' });
    chmodSync(path.join(dir, 'locked.ts'), 0o000);
    const db = path.join(dir, 'index.db');
    // Root reads everything; without CAP_DAC_OVERRIDE/READ_SEARCH it obeys permission bits like anyone.
    const run = process.getuid?.() === 0
      ? runAs(['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-dac_override,-dac_read_search', '--', process.execPath, CLI, 'index', '--root', dir, '--db', db])
      : runCli(['index', '--root', dir, '--db', db]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/unreadable 1/);
    const status = runCli(['status', '--root', dir, '--db', db, '--json', '--verbose']);
    expect(JSON.stringify(JSON.parse(status.stdout))).toMatch(/"path":"locked\.ts","reason":"unreadable","detail":"could not read \(EACCES\)"/);
  });
});

function runAs(command: readonly string[]): { code: number; stdout: string; stderr: string } {
  const [bin, ...args] = command;
  const result = spawnSync(bin ?? '', args, { encoding: 'utf8' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('walk: folders listed ahead of the walk', () => {
  it('keeps name order and reports an unreadable folder, inside and beyond the folders listed ahead', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`d${String(i).padStart(2, '0')}/sub/f.ts`] = `export const v${i} = ${i};\n`;
    const dir = tempDir(files);
    chmodSync(path.join(dir, 'd07'), 0o000);
    chmodSync(path.join(dir, 'd39'), 0o000);
    const db = path.join(tempDir(), 'index.db');
    const run = process.getuid?.() === 0
      ? runAs(['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-dac_override,-dac_read_search', '--', process.execPath, CLI, 'index', '--root', dir, '--db', db])
      : runCli(['index', '--root', dir, '--db', db]);
    chmodSync(path.join(dir, 'd07'), 0o755);
    chmodSync(path.join(dir, 'd39'), 0o755);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Indexed 38 files/);
    const status = JSON.stringify(JSON.parse(runCli(['status', '--root', dir, '--db', db, '--json', '--verbose']).stdout));
    expect(status).toMatch(/"path":"d07","reason":"unreadable","detail":"folder could not be listed \(EACCES\)"/);
    expect(status).toMatch(/"path":"d39","reason":"unreadable","detail":"folder could not be listed \(EACCES\)"/);
    expect(run.stdout).toMatch(/skipped 2 \(unreadable 2\)/);
  });

  it('yields files in name order however the listings arrive', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) for (let j = 0; j < 3; j++) files[`p${i}/q${j}/r/x${j}.ts`] = 'export {};\n';
    const found = candidates(await walk(tempDir(files)));
    expect(found).toHaveLength(150);
    expect(found).toEqual([...found].sort());
  });
});

describe('walk: multi-root and CRLF', () => {
  it('keeps lines right in CRLF files', async () => {
    const dir = tempDir({ 'a.py': 'def a():\r\n    return 1\r\n' });
    writeFileSync(path.join(dir, 'b.txt'), 'x');
    const entries = await walk(dir);
    const first = entries.find((e) => e.type === 'candidate');
    if (first?.type !== 'candidate') throw new Error('no candidate');
    const read = await readSource(first.candidate, DEFAULT_WALK_OPTIONS.maxFileBytes);
    expect(read.type === 'source' ? read.file.text : '').toBe('def a():\n    return 1\n');
  });
});

describe('walk: one changed path, decided alone', () => {
  /** Every file and folder under `dir` (relative), ignored ones included. */
  function allPaths(dir: string, rel = ''): string[] {
    return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((d) => {
      const p = rel === '' ? d.name : `${rel}/${d.name}`;
      return d.isDirectory() && !d.isSymbolicLink() ? [p, ...allPaths(dir, p)] : [p];
    });
  }

  const key = (e: WalkEntry): string => (e.type === 'candidate' ? `${e.candidate.relPath} candidate${e.candidate.forced ? ' forced' : ''}` : `${e.skipped.relPath} ${e.skipped.reason}`);

  it('agrees with the full walk on every path: rules at every level, re-includes, skips, folders', async () => {
    const dir = tempDir({
      '.gitignore': '*.log\ngenerated/\n/top-only.txt\n',
      '.sourcelineignore': '!generated/schema.graphql\nscratch/\n',
      '.git/info/exclude': 'notes.md\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
      'a.ts': 'export const a = 1;\n',
      'debug.log': 'x\n',
      'notes.md': 'x\n',
      'top-only.txt': 'x\n',
      'sub/top-only.txt': 'kept\n',
      'sub/.gitignore': 'local.ts\n!keep.log\n',
      'sub/local.ts': 'x\n',
      'sub/keep.log': 'x\n',
      'sub/deeper/local.ts': 'x\n',
      'sub/deeper/ok.ts': 'x\n',
      'generated/schema.graphql': 'type Query { a: Int }\n',
      'generated/other.ts': 'x\n',
      'scratch/tmp.ts': 'x\n',
      'node_modules/lib/index.js': 'x\n',
      '.env': 'API_KEY=1\n',
      'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
      'big.txt': 'x'.repeat(5000),
    });
    mkdirSync(path.join(dir, 'loop'));
    symlinkSync(dir, path.join(dir, 'loop', 'back'));
    const root = { name: 'r', path: dir };
    const options = { maxFileBytes: 4096, extraExcludes: [] };
    const full = new Map((await walk(dir, 4096)).map((e) => [key(e).split(' ')[0] ?? '', key(e)]));
    for (const p of allPaths(dir)) {
      const alone: string[] = [];
      for await (const e of walkPath(root, p, options)) alone.push(key(e));
      // What the full walk yields at and under p.
      const expected = [...full.entries()].filter(([rel]) => rel === p || rel.startsWith(`${p}/`)).map(([, k]) => k);
      expect({ path: p, entries: alone.sort() }).toEqual({ path: p, entries: expected.sort() });
    }
    // Gone: nothing, and no error.
    const gone: WalkEntry[] = [];
    for await (const e of walkPath(root, 'sub/missing.ts', options)) gone.push(e);
    expect(gone).toEqual([]);
  });
});
