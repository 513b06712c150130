import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SearchRequest, StatusRequest, SymbolContextRequest } from '../../src/shared/protocol';
import { startServer, stopServers } from '../helpers/lspServer';
import { tempDir } from '../helpers/tmp';
import { writeSyntheticProject } from '../helpers/corpus';

afterEach(stopServers);
const start = startServer;

describe('the language server (real JSON-RPC over stdio)', () => {
  it('indexes the workspace after initialized, reports progress, and serves search and status', async () => {
    const root = tempDir({ 'src/session.ts': '/** Refreshes a session token. */\nexport function refreshSession(token: string) {\n  return token;\n}\n', '.env': 'KEY=1\n' });
    const storage = tempDir();
    const s = await start(root, storage);
    expect((await s.ready()).state).toBe('ready');
    // Progress goes to the client's one status-bar item, counted; no second (work-done) progress beside it.
    const indexing = s.states.filter((x) => x.state === 'indexing');
    expect(indexing.length).toBeGreaterThan(0);
    expect(indexing[indexing.length - 1]).toMatchObject({ filesDone: indexing[indexing.length - 1]?.filesTotal });
    expect(s.progress).toEqual([]);
    const found = await s.connection.sendRequest(SearchRequest, { query: 'refresh session token', limit: 3 });
    expect(found.results[0]).toMatchObject({ path: 'src/session.ts', file: path.join(root, 'src', 'session.ts'), startLine: 1, endLine: 4, symbol: 'refreshSession' });
    const status = await s.connection.sendRequest(StatusRequest);
    expect(status).toMatchObject({ state: 'ready', filesIndexed: 1, filesSkipped: 1, model: expect.stringMatching(/^sourceline-code-v2@/) });
    expect(status.skipped[0]).toMatchObject({ path: '.env', reason: 'secret' });
  });

  it('makes an edited file searchable within 2 s of the watched-file event', async () => {
    const root = tempDir({ 'a.ts': 'export const a = 1;\n' });
    const s = await start(root, tempDir());
    await s.ready();
    const seen = s.states.length;
    writeFileSync(path.join(root, 'a.ts'), 'export function computeInvoiceTotal(lines: number[]) {\n  return lines.reduce((x, y) => x + y, 0);\n}\n');
    const t0 = Date.now();
    await s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(root, 'a.ts')).href, type: 2 }] });
    await s.ready(seen);
    const found = await s.connection.sendRequest(SearchRequest, { query: 'computeInvoiceTotal' });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(found.results[0]?.symbol).toBe('computeInvoiceTotal');
  });

  it('answers searches while indexing runs on its own thread', async () => {
    const root = tempDir();
    writeSyntheticProject(root, 1500);
    const s = await start(root, tempDir());
    // Wait until indexing is under way, then ask: the answer must come before indexing ends.
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error('indexing never reported progress')), 60_000);
      const poll = setInterval(() => {
        if (s.states.some((x) => x.state === 'indexing')) {
          clearInterval(poll);
          clearTimeout(deadline);
          resolve();
        }
      }, 5);
    });
    await s.connection.sendRequest(SearchRequest, { query: "handleRequest3x1", limit: 3 });
    expect(s.states.some((x) => x.state === 'ready')).toBe(false);
    expect((await s.ready()).state).toBe('ready');
    expect((await s.connection.sendRequest(SearchRequest, { query: 'handleRequest3x1', limit: 1 })).results[0]?.symbol).toBe('handleRequest3x1');
  });

  it('tells where a symbol is defined and used elsewhere, for the hover', async () => {
    const root = tempDir({
      'src/session.ts': '/** Refreshes a session token. */\nexport function refreshSession(token: string) {\n  return token;\n}\n',
      'src/app.ts': "import { refreshSession } from './session';\n\nexport function keepAlive(t: string) {\n  return refreshSession(t);\n}\n",
      'src/other.ts': 'export function unrelated() {\n  return 1;\n}\n',
    });
    const s = await start(root, tempDir());
    await s.ready();
    const context = await s.connection.sendRequest(SymbolContextRequest, { symbol: 'refreshSession', file: path.join(root, 'src', 'session.ts') });
    expect(context.definitions).toEqual([{ path: 'src/session.ts', file: path.join(root, 'src', 'session.ts'), startLine: 1, endLine: 4 }]);
    expect(context.usages.map((u) => u.path)).toEqual(['src/app.ts']);
    expect(await s.connection.sendRequest(SymbolContextRequest, { symbol: 'x', file: '' })).toEqual({ definitions: [], usages: [] });
  });

  it('applies the exclude and size settings passed at initialize', async () => {
    const root = tempDir({ 'src/a.ts': 'export const a = 1;\n', 'generated/api.ts': 'export const api = 1;\n', 'src/big.ts': `${'export const line = 1;\n'.repeat(200)}` });
    const s = await start(root, tempDir(), { exclude: ['generated/'], maxFileBytes: 2048 });
    await s.ready();
    const status = await s.connection.sendRequest(StatusRequest);
    expect(status.filesIndexed).toBe(1);
    expect(status.skipped.map((f) => `${f.path}:${f.reason}`)).toEqual(['src/big.ts:too-large']);
  });

  it('treats a nonsensical limit as the default instead of failing', async () => {
    const s = await start(tempDir({ 'a.ts': 'export const alpha = 1;\n', 'b.ts': 'export const alphaBeta = 2;\n' }), tempDir());
    await s.ready();
    expect((await s.connection.sendRequest(SearchRequest, { query: 'alpha', limit: -5 })).results).toHaveLength(2);
    expect((await s.connection.sendRequest(SearchRequest, { query: 'alpha', limit: 1 })).results).toHaveLength(1);
    expect((await s.connection.sendRequest(StatusRequest)).state).toBe('ready');
  });
});
