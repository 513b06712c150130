import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitConventions, draftCommitMessage, draftDocstring } from '../../src/engine/answer/houseStyle';
import { OpenAICompatibleProvider } from '../../src/engine/answer/providers/openaiCompatible';
import { FakeOpenAI } from '../helpers/fakeOpenAI';
import { git } from '../helpers/git';
import { tempDir, writeFiles } from '../helpers/tmp';
import { openWorkspace } from '../helpers/workspace';

let server: FakeOpenAI;
let baseUrl: string;
beforeEach(async () => {
  server = new FakeOpenAI([{ kind: 'stream', text: '/** Pages through results. */' }]);
  baseUrl = await server.start();
});
afterEach(async () => server.stop());

const FILES = {
  'src/pager.ts': `/**
 * Returns the page size, clamped to the allowed range.
 * @param requested - what the caller asked for
 */
export function pageSize(requested: number): number {
  return Math.min(100, Math.max(1, requested));
}

export function nextPage(current: number, total: number): number {
  return current < total ? current + 1 : current;
}
`,
  'src/sort.ts': `/**
 * Sorts items by key, stable.
 * @param items - the items to sort
 */
export function sortBy<T>(items: T[], key: (t: T) => number): T[] {
  return [...items].sort((a, b) => key(a) - key(b));
}
`,
};

describe('Write Docstring in House Style', () => {
  it('sources-only: shows the unit under the cursor and how the codebase documents similar code', async () => {
    const root = tempDir(FILES);
    const ws = openWorkspace([root]);
    await ws.update();
    const answer = await draftDocstring(ws, { absPath: path.join(root, 'src/pager.ts'), line: 10 }, { knowledge: null, houseStyle: null });
    expect(answer.sources[0]).toMatchObject({ n: 1, path: 'src/pager.ts', startLine: 9, endLine: 11, symbol: 'nextPage' });
    expect(answer.sources.map((s) => s.symbol)).toEqual(expect.arrayContaining(['pageSize', 'sortBy']));
    expect(answer.text).toMatch(/@param requested - what the caller asked for/);
    expect(answer.route).toMatchObject({ role: 'sourcesOnly', intent: 'act' });
    ws.close();
  });

  it('sends the unit as source [1] to the house-style model, using unsaved editor text', async () => {
    const root = tempDir(FILES);
    const ws = openWorkspace([root]);
    await ws.update();
    const houseStyle = new OpenAICompatibleProvider({ baseUrl, model: 'ft:house' });
    const unsaved = `${FILES['src/pager.ts']}\nexport function lastPage(total: number): number {\n  return total;\n}\n`;
    const answer = await draftDocstring(ws, { absPath: path.join(root, 'src/pager.ts'), line: 14, text: unsaved }, { knowledge: null, houseStyle });
    expect(answer.route).toMatchObject({ role: 'houseStyle', model: 'ft:house' });
    expect(answer.text).toBe('/** Pages through results. */');
    const sent = JSON.stringify(server.requests[0]?.body);
    expect(sent).toMatch(/<source n=\\"1\\" path=\\"src\/pager.ts\\" lines=\\"13-15\\" symbol=\\"lastPage\\">/);
    ws.close();
  });
});

describe('Draft Commit Message', () => {
  it('learns the conventions of recent history and never sends secret files', async () => {
    const root = tempDir(FILES);
    git(root, 'init', '-q');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'feat(pager): add page size clamp');
    for (const m of ['fix(pager): off-by-one in nextPage', 'docs: explain sorting', 'refactor(sort): extract key']) git(root, 'commit', '-q', '--allow-empty', '-m', m);
    writeFiles(root, { 'src/pager.ts': `${FILES['src/pager.ts']}\nexport const MAX_PAGE = 100;\n`, '.env': 'TOKEN=abc123\n' });
    git(root, 'add', '.');
    const ws = openWorkspace([root]);
    await ws.update();
    const offline = await draftCommitMessage(ws, root, { knowledge: null, houseStyle: null });
    expect(offline.text).toMatch(/Conventional Commits \(100% of the last 4\)/);
    expect(offline.text).toMatch(/A starting point: `fix\(src\): <summary of the change>`/);
    server.setScript([{ kind: 'stream', text: 'feat(pager): add MAX_PAGE constant' }]);
    const knowledge = new OpenAICompatibleProvider({ baseUrl, model: 'base' });
    const drafted = await draftCommitMessage(ws, root, { knowledge, houseStyle: null });
    expect(drafted.text).toBe('feat(pager): add MAX_PAGE constant');
    expect(drafted.route.reason).toMatch(/retrieved examples of the house style/);
    const sent = JSON.stringify(server.requests[0]?.body);
    expect(sent).toMatch(/fix\(pager\): off-by-one in nextPage/);
    expect(sent).toMatch(/\+export const MAX_PAGE = 100;/);
    expect(sent).not.toMatch(/TOKEN|abc123/);
    ws.close();
  });

  it('reads free-form histories too', () => {
    const history = ['Add pager', 'Fix sort order', 'Update README'].map((subject, i) => ({ hash: String(i), subject, body: '', files: ['a'] }));
    expect(commitConventions(history, ['test/a.test.ts'], new Set())).toMatchObject({ summary: expect.stringMatching(/free-form subjects \(capitalised\)/), skeleton: '<Summary of the change>' });
  });
});

describe('where a drafted docstring goes', () => {
  const draftAt = async (file: string, text: string, line: number): Promise<unknown> => {
    const root = tempDir({ [file]: text });
    const ws = openWorkspace([root]);
    await ws.update();
    const answer = await draftDocstring(ws, { absPath: path.join(root, file), line }, { knowledge: null, houseStyle: null });
    ws.close();
    return answer.placement;
  };

  it('Python: below a signature that spans lines, indented like the body', async () => {
    const py = ['class Pager:', '    @staticmethod', '    def page(', '        items: list,', '        size: int = 10,', '    ) -> list:', '        return items[:size]', ''].join('\n');
    expect(await draftAt('pager.py', py, 7)).toEqual({ line: 7, indent: '        ', replaces: null, anchor: 'return items[:size]' });
  });

  it('Python: replaces the existing docstring, however short', async () => {
    const py = ['def total(xs):', "    '''Sum.'''", '    return sum(xs)', ''].join('\n');
    expect(await draftAt('calc.py', py, 3)).toEqual({ line: 2, indent: '    ', replaces: { startLine: 2, endLine: 2 }, anchor: "'''Sum.'''" });
  });

  it('Python: none for a one-line definition, where a docstring cannot go', async () => {
    expect(await draftAt('one.py', 'def one(): return 1\n\n\ndef two():\n    return 2\n', 1)).toBeNull();
  });

  it('TypeScript: above a method, at its indentation; an existing JSDoc block is replaced', async () => {
    const ts = ['export class Pager {', '  /** Old. */', '  next(n: number): number {', '    return n + 1;', '  }', '', '  prev(n: number): number {', '    return n - 1;', '  }', '}', ''].join('\n');
    expect(await draftAt('src/pager.ts', ts, 8)).toEqual({ line: 7, indent: '  ', replaces: null, anchor: 'prev(n: number): number {' });
    expect(await draftAt('src/pager.ts', ts, 4)).toEqual({ line: 2, indent: '  ', replaces: { startLine: 2, endLine: 2 }, anchor: '/** Old. */' });
  });
});
