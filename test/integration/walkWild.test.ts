import { appendFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { classifyContent, decodeText, readSource } from '../../src/engine/walk/readSource';
import { DEFAULT_WALK_OPTIONS, explainPath, walkRoot, type Candidate, type WalkEntry } from '../../src/engine/walk/walk';
import type { Root } from '../../src/engine/types';
import { tempDir } from '../helpers/tmp';

async function walk(dir: string, roots: readonly Root[] = [{ name: 'r', path: dir }], maxFileBytes = DEFAULT_WALK_OPTIONS.maxFileBytes): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  for await (const e of walkRoot({ name: 'r', path: dir }, { maxFileBytes, extraExcludes: [] }, undefined, roots)) out.push(e);
  return out;
}

const pathOf = (e: WalkEntry): string => (e.type === 'candidate' ? e.candidate.relPath : e.skipped.relPath);
const skipOf = (entries: readonly WalkEntry[], relPath: string): string | undefined => {
  const e = entries.find((x) => pathOf(x) === relPath);
  return e?.type === 'skipped' ? `${e.skipped.reason}: ${e.skipped.detail}` : e === undefined ? undefined : 'candidate';
};

describe('walk: symbolic links are never followed', () => {
  it('skips links out of the root as outside-root (a file, a private folder beside the workspace)', async () => {
    const outside = tempDir({ 'private/notes.txt': 'secret plans\n', 'passwd': 'root:x:0:0\n' });
    const dir = tempDir({ 'a.ts': 'export const a = 1;\n' });
    symlinkSync(path.join(outside, 'passwd'), path.join(dir, 'passwd'));
    symlinkSync(path.join(outside, 'private'), path.join(dir, 'private'));
    const entries = await walk(dir);
    expect(entries.filter((e) => e.type === 'candidate').map(pathOf)).toEqual(['a.ts']);
    expect(skipOf(entries, 'passwd')).toMatch(/^outside-root: links to .*passwd, outside the indexed folders$/);
    expect(skipOf(entries, 'private')).toMatch(/^outside-root/);
    // A folder given as a root of its own is how a user includes it: then the link is a duplicate.
    const both = await walk(dir, [{ name: 'r', path: dir }, { name: 'o', path: outside }]);
    expect(skipOf(both, 'private')).toMatch(/^duplicate: links to private, which is indexed under its own path$/);
  });

  it('indexes a symlinked folder inside the root once, at its own path (serde/src/core → serde_core/src)', async () => {
    const dir = tempDir({ 'serde_core/src/lib.rs': 'pub fn core() {}\n' });
    mkdirSync(path.join(dir, 'serde/src'), { recursive: true });
    symlinkSync('../../serde_core/src', path.join(dir, 'serde/src/core'));
    const entries = await walk(dir);
    expect(entries.filter((e) => e.type === 'candidate').map(pathOf)).toEqual(['serde_core/src/lib.rs']);
    expect(skipOf(entries, 'serde/src/core')).toBe('duplicate: links to serde_core/src, which is indexed under its own path');
  });

  it('names loops as loops: a link to a folder above it, and two links to each other', async () => {
    const dir = tempDir({ 'x.ts': 'export {};\n' });
    mkdirSync(path.join(dir, 'loop'));
    symlinkSync(dir, path.join(dir, 'loop/back'));
    symlinkSync('b', path.join(dir, 'a'));
    symlinkSync('a', path.join(dir, 'b'));
    symlinkSync('missing', path.join(dir, 'dangling'));
    const entries = await walk(dir);
    expect(skipOf(entries, 'loop/back')).toBe('symlink-loop: links back to ., a folder above it');
    expect(skipOf(entries, 'a')).toBe('symlink-loop: symbolic links that lead to each other in a loop');
    expect(skipOf(entries, 'b')).toMatch(/^symlink-loop/);
    expect(skipOf(entries, 'dangling')).toBe('unreadable: broken symbolic link (its target does not exist)');
  });

  it('explains a path outside every root, and a link out of it, instead of "not excluded"', async () => {
    const outside = tempDir({ 'passwd': 'root:x:0:0\n' });
    const dir = tempDir({ 'a.ts': 'export {};\n' });
    symlinkSync(path.join(outside, 'passwd'), path.join(dir, 'passwd'));
    const root = { name: 'r', path: dir };
    expect(await explainPath(root, path.join(outside, 'passwd'), DEFAULT_WALK_OPTIONS)).toMatch(/: outside the indexed folders \(.*\); add its folder as a root to index it$/);
    expect(await explainPath(root, 'passwd', DEFAULT_WALK_OPTIONS)).toMatch(/^passwd: not indexed — passwd is a symbolic link: links to .*, outside the indexed folders$/);
    expect(await explainPath(root, '../elsewhere', DEFAULT_WALK_OPTIONS)).toMatch(/outside the indexed folders/);
  });
});

describe('walk: hostile trees', () => {
  it('reports a file name with invalid UTF-8 bytes as such (not as "could not stat")', async () => {
    const dir = tempDir({ 'ok.ts': 'export {};\n' });
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/bad-`), Buffer.from([0xff, 0xfe]), Buffer.from('.ts')]), 'export {};\n');
    const entries = await walk(dir);
    const bad = entries.find((e) => e.type === 'skipped');
    expect(bad?.type === 'skipped' ? `${bad.skipped.reason}: ${bad.skipped.detail}` : '').toBe('unreadable: its name is not valid UTF-8 (rename it to index it)');
    expect(entries.filter((e) => e.type === 'candidate').map(pathOf)).toEqual(['ok.ts']);
  });

  it('walks a folder nested 2,000 levels deep without overflowing the stack', async () => {
    const dir = tempDir();
    const deep = path.join(dir, ...Array.from({ length: 2000 }, () => 'd'));
    mkdirSync(deep, { recursive: true });
    writeFileSync(path.join(deep, 'f.ts'), 'export const deep = 1;\n');
    writeFileSync(path.join(dir, 'top.ts'), 'export const top = 1;\n');
    const entries = await walk(dir);
    expect(entries.map(pathOf)).toContain('top.ts');
    expect(entries.filter((e) => e.type === 'candidate').map(pathOf).some((p) => p.endsWith('/f.ts'))).toBe(true);
  });
});

describe('read: the file is checked again on the handle it is read from', () => {
  async function candidateFor(dir: string, relPath: string): Promise<Candidate> {
    const e = (await walk(dir)).find((x) => pathOf(x) === relPath);
    if (e?.type !== 'candidate') throw new Error(`${relPath} is not a candidate`);
    return e.candidate;
  }

  it('refuses a file swapped for a FIFO after the walk (never blocks)', async () => {
    const dir = tempDir({ 'a.ts': 'export {};\n' });
    const c = await candidateFor(dir, 'a.ts');
    rmSync(path.join(dir, 'a.ts'));
    execFileSync('mkfifo', [path.join(dir, 'a.ts')]);
    const read = await readSource(c, 1024);
    expect(read.type === 'skipped' ? read.file.reason : read.type).toBe('special-file');
  });

  it('refuses a file swapped for a link to /dev/zero after the walk (never reads without end)', async () => {
    const dir = tempDir({ 'a.ts': 'export {};\n' });
    const c = await candidateFor(dir, 'a.ts');
    rmSync(path.join(dir, 'a.ts'));
    symlinkSync('/dev/zero', path.join(dir, 'a.ts'));
    const read = await readSource(c, 1024);
    expect(read.type === 'skipped' ? `${read.file.reason}: ${read.file.detail}` : read.type).toBe('unreadable: became a symbolic link after the walk');
  });

  it('refuses a file that grew past the cap after the walk, and reads no more than the cap', async () => {
    const dir = tempDir({ 'a.ts': 'export {};\n' });
    const c = await candidateFor(dir, 'a.ts');
    appendFileSync(path.join(dir, 'a.ts'), 'x'.repeat(60 * 1024 * 1024));
    const read = await readSource(c, 1024 * 1024);
    expect(read.type === 'skipped' ? read.file.reason : read.type).toBe('too-large');
    expect(read.type === 'skipped' ? read.file.size : 0).toBeGreaterThan(60 * 1024 * 1024);
  });
});

describe('walk: generated trees (property-based)', () => {
  type Node = { kind: 'file'; name: string } | { kind: 'dir'; name: string; children: Node[] } | { kind: 'link'; name: string; to: string };
  const name = fc.stringMatching(/^[a-z.]{1,6}$/).filter((n) => n !== '.' && n !== '..');
  const tree = fc.letrec<{ node: Node; dir: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ kind: fc.constant('file' as const), name }),
      fc.record({ kind: fc.constant('link' as const), name, to: fc.constantFrom('..', '.', '/dev/zero', '/etc', 'nowhere', 'a', '../a') }),
      tie('dir'),
    ),
    dir: fc.record({ kind: fc.constant('dir' as const), name, children: fc.array(tie('node'), { maxLength: 4 }) }),
  })).dir;

  function build(at: string, node: Node): void {
    const target = path.join(at, node.name);
    try {
      if (node.kind === 'file') writeFileSync(target, `export const x = ${JSON.stringify(node.name)};\n`);
      else if (node.kind === 'link') symlinkSync(node.to, target);
      else {
        mkdirSync(target);
        for (const child of node.children) build(target, child);
      }
    } catch {
      // A generated name taken twice in a folder: the first one stays.
    }
  }

  it('terminates, never throws, and reports every path at most once, all inside the root', async () => {
    await fc.assert(
      fc.asyncProperty(tree, async (t) => {
        const dir = tempDir();
        build(dir, t);
        const entries = await walk(dir);
        const paths = entries.map(pathOf);
        expect(new Set(paths).size).toBe(paths.length);
        for (const e of entries) if (e.type === 'candidate') expect(e.candidate.absPath.startsWith(dir)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('read: legacy encodings and data-like modules', () => {
  const texts: Array<[string, string]> = [
    ['Shift_JIS', '// 設定ファイルを読み込む関数です。\nfunction readConfig(path) {\n  // ファイルが存在しない場合は空の設定を返します\n  return {};\n}\n'],
    ['EUC-JP', '/* 日本語のコメントです。これはテストです。 */\nint main(void) { return 0; }\n'],
    ['GBK', '// 读取配置文件的函数\nfunction readConfig(path) {\n  // 如果文件不存在则返回空配置\n  return {};\n}\n'],
    ['Big5', '// 讀取設定檔的函式\nfunction readConfig(path) {\n  // 如果檔案不存在則回傳空設定\n  return {};\n}\n'],
    ['EUC-KR', '// 설정 파일을 읽는 함수입니다\nfunction readConfig(path) {\n  return {};\n}\n'],
  ];
  it.each(texts)('decodes %s text as itself, not as Windows-1252 mojibake', (encoding, text) => {
    expect(decodeText(iconv.encode(text, encoding))).toEqual({ ok: true, text });
  });

  it('still decodes Latin-1 as 8-bit text', () => {
    expect(decodeText(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]))).toEqual({ ok: true, text: 'café\n' });
  });

  it('indexes a 30,000-line Python module of numeric assignments; skips a dump of bare numbers', () => {
    const module = Array.from({ length: 30_000 }, (_, i) => `CODE_${i} = ${1_000_000_000 + i * 7919}`).join('\n');
    expect(classifyContent('codes.py', module)).toEqual({ skip: false });
    const dump = Array.from({ length: 3000 }, (_, i) => `${i * 31337} ${i * 7} ${i}`).join('\n');
    expect(classifyContent('dump.txt', dump)).toMatchObject({ skip: true, reason: 'generated', detail: 'mostly digits' });
  });
});
