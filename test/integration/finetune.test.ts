import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateJsonl, validateExampleLine } from '../../src/engine/finetune/format';
import { runCli } from '../helpers/cli';
import { git } from '../helpers/git';
import { tempDir, writeFiles } from '../helpers/tmp';

function lines(file: string): unknown[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
}

const DOC_FN = (name: string, doc: string) => `/** ${doc} */\nexport function ${name}(input: string): string {\n  return input.trim().toLowerCase() + '${name}';\n}\n`;

describe('export-finetune', () => {
  it('docstring: doc comment ↔ code with RAFT context, deduplicated, split, valid', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 24; i++) files[`src/m${i}.ts`] = DOC_FN(`normalizeName${i}`, `Normalizes name number ${i} for display in lists.`);
    files['src/copy.ts'] = DOC_FN('normalizeName3', 'Normalizes name number 3 for display in lists.');
    files['src/plain.ts'] = 'export function undocumented() {\n  return 1;\n}\n';
    const root = tempDir(files);
    const out = path.join(tempDir(), 'doc.jsonl');
    const run = runCli(['export-finetune', '--task', 'docstring', '--out', out, '--root', root, '--db', path.join(tempDir(), 'i.db'), '--json']);
    expect(run.code).toBe(0);
    const summary: unknown = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ task: 'docstring', skipped: { duplicate: 1 } });
    const train = lines(out);
    const validation = lines(out.replace('.jsonl', '.validation.jsonl'));
    expect(train.length + validation.length).toBe(24);
    expect(validation.length).toBeGreaterThan(0);
    const example = JSON.stringify(train[0]);
    expect(example).toMatch(/"role":"assistant","content":"\/\*\* Normalizes name number \d+ for display in lists\. \*\/"/);
    // The code the model sees does not contain the answer.
    const user = /"role":"user","content":"(.*?)"},\{"role":"assistant"/.exec(example)?.[1] ?? '';
    expect(user).toMatch(/export function normalizeName\d+/);
    expect(user.split('Code (')[1]).not.toMatch(/Normalizes name number/);
    expect(user).toMatch(/Context from the codebase \(some of it may be irrelevant\)/);
    expect(validateJsonl(readFileSync(out, 'utf8')).errors).toEqual([]);
    expect(runCli(['export-finetune', '--validate', out]).stdout).toMatch(/0 invalid/);
  });

  it('commit: message ↔ diff from history, never including secret files', () => {
    const root = tempDir({ 'src/pager.ts': 'export function page(n: number) {\n  return n;\n}\n' });
    git(root, 'init', '-q');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'feat(pager): add page()');
    for (let i = 0; i < 12; i++) {
      writeFiles(root, { [`src/f${i}.ts`]: `export const value${i} = ${i};\n`, '.env': `TOKEN=secret-${i}\n` });
      git(root, 'add', '.');
      git(root, 'commit', '-q', '-m', `fix(f${i}): set value ${i}`, '-m', `Body for change ${i}.`);
    }
    writeFileSync(path.join(root, '.env'), 'TOKEN=only-secret\n');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'chore: rotate token');
    const out = path.join(tempDir(), 'commit.jsonl');
    const run = runCli(['export-finetune', '--task', 'commit', '--out', out, '--root', root, '--db', path.join(tempDir(), 'i.db'), '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ skipped: { 'only secret files': 1 } });
    const all = [...lines(out), ...lines(out.replace('.jsonl', '.validation.jsonl'))].map((e) => JSON.stringify(e));
    expect(all).toHaveLength(13);
    expect(all.join('\n')).not.toMatch(/TOKEN=|secret-\d/);
    expect(all.some((e) => /"role":"assistant","content":"fix\(f3\): set value 3\\n\\nBody for change 3\."/.test(e))).toBe(true);
    expect(all.every((e) => /diff --git a\/src\//.test(e))).toBe(true);
  });

  it('the validator names what is wrong with a line', () => {
    expect(validateExampleLine('{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}')).toEqual([]);
    expect(validateExampleLine('not json')).toEqual(['not valid JSON']);
    expect(validateExampleLine('{"messages":[{"role":"user","content":"hi"},{"role":"bot","content":""}],"x":1}')).toEqual([
      'unexpected keys: x',
      'message 1 has role "bot"',
      'message 1 has no text content',
      'the last message is not the assistant’s',
    ]);
    expect(validateExampleLine('{"messages":[{"role":"system","content":"s"},{"role":"assistant","content":"a","weight":2}]}')).toEqual([
      'message 1 has a weight other than 0 or 1',
      'no user message',
    ]);
  });
});
