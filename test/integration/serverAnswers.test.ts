import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import {
  AnswerDeltaNotification, AnswerSourcesNotification, AskRequest, DraftCommitMessageRequest, DraftDocstringRequest, EditorChatDeltaNotification, EditorChatRequest, IndexControlRequest, ModelsNotification, ReincludeRequest, SearchRequest, StatusRequest,
} from '../../src/shared/protocol';
import type { AnswerDeltaParams, EditorChatParams } from '../../src/shared/types';
import { FakeOpenAI } from '../helpers/fakeOpenAI';
import { startServer, stopServers } from '../helpers/lspServer';
import { tempDir } from '../helpers/tmp';
import { writeSyntheticProject } from '../helpers/corpus';
import { git } from '../helpers/git';

const SESSION = '/** Refreshes a session token before it expires. */\nexport function refreshSession(token: string) {\n  return token + "!";\n}\n';

const fakes: FakeOpenAI[] = [];
afterEach(async () => {
  await stopServers();
  for (const f of fakes.splice(0)) await f.stop();
});

/** The streamed pieces, in arrival order; a `sources` entry marks where the answer's sources came. */
function collectDeltas(s: Awaited<ReturnType<typeof startServer>>, order: string[] = []): AnswerDeltaParams[] {
  const deltas: AnswerDeltaParams[] = [];
  s.connection.onNotification(AnswerDeltaNotification, (p) => {
    deltas.push(p);
    order.push('delta');
  });
  s.connection.onNotification(AnswerSourcesNotification, (p) => order.push(`sources:${p.sources.map((x) => `${x.path}:${x.startLine}-${x.endLine}`).join(',')}`));
  return deltas;
}

describe('answers through the language server', () => {
  it('answers sources-only with checked citations when no model is configured', async () => {
    const root = tempDir({ 'src/session.ts': SESSION });
    const s = await startServer(root, tempDir());
    await s.ready();
    const answer = await s.connection.sendRequest(AskRequest, { id: 'a1', question: 'how is the session token refreshed?' });
    expect(answer).toMatchObject({ id: 'a1', kind: { type: 'ask' }, route: { role: 'sourcesOnly' } });
    expect(answer.sources[0]).toMatchObject({ n: 1, path: 'src/session.ts', file: path.join(root, 'src', 'session.ts'), startLine: 1, endLine: 4 });
    expect(answer.citations.some((c) => c.status === 'ok' && c.file === path.join(root, 'src', 'session.ts'))).toBe(true);
    expect(answer.prompt?.[0]?.role).toBe('system');
  });

  it('streams from an OpenAI-compatible endpoint, and says so in the route', async () => {
    const fake = new FakeOpenAI([{ kind: 'stream', text: 'It appends "!" to the token [1].', delayMs: 5 }]);
    fakes.push(fake);
    const baseUrl = await fake.start();
    const root = tempDir({ 'src/session.ts': SESSION });
    // The key reaches the server through its environment, as the extension passes it (never in a message).
    const s = await startServer(root, tempDir(), {}, { SOURCELINE_API_KEY: 'sk-secret' });
    const order: string[] = [];
    const deltas = collectDeltas(s, order);
    await s.ready();
    await s.connection.sendNotification(ModelsNotification, { knowledge: { type: 'openai', baseUrl, model: 'llama3.1', deadlineMs: 120_000 }, houseStyle: null, withheld: null });
    const answer = await s.connection.sendRequest(AskRequest, { id: 'a2', question: 'how is the session token refreshed?' });
    expect(answer.route).toMatchObject({ role: 'knowledge', model: 'llama3.1' });
    expect(answer.answer).toBe('It appends "!" to the token [1].');
    expect(deltas.filter((d) => d.id === 'a2').map((d) => d.text).join('')).toBe(answer.answer);
    // The sources come first, so the panel shows [1] as a chip while the text streams.
    expect(order[0]).toBe('sources:src/session.ts:1-4');
    expect(order.slice(1).every((o) => o === 'delta')).toBe(true);
    expect(answer.citations[0]).toMatchObject({ n: 1, status: 'ok' });
    expect(answer.groundedness).toBe(1);
    expect(fake.requests[0]?.headers['authorization']).toBe('Bearer sk-secret');
  });

  it('stops the model when the client cancels, keeping what was streamed', async () => {
    const fake = new FakeOpenAI([{ kind: 'stream', text: 'word '.repeat(200), delayMs: 20 }]);
    fakes.push(fake);
    const baseUrl = await fake.start();
    const s = await startServer(tempDir({ 'src/session.ts': SESSION }), tempDir());
    const deltas = collectDeltas(s);
    await s.ready();
    await s.connection.sendNotification(ModelsNotification, { knowledge: { type: 'openai', baseUrl, model: 'slow', deadlineMs: 120_000 }, houseStyle: null, withheld: null });
    const source = new CancellationTokenSource();
    const pending = s.connection.sendRequest(AskRequest, { id: 'a3', question: 'explain refreshSession' }, source.token);
    while (deltas.length < 3) await new Promise((r) => setTimeout(r, 10));
    source.cancel();
    // The server stops the model's request and answers with what was streamed, marked stopped.
    const answer = await pending;
    expect(answer.fallback).toBe('stopped by the user');
    expect(answer.answer).toMatch(/^word word word[\s\S]*\(stopped\)$/);
    const count = deltas.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(deltas.length).toBe(count);
    expect(count).toBeLessThan(100);
  });

  it("runs the editor's language model through the client (vscode.lm bridge)", async () => {
    const root = tempDir({ 'src/session.ts': SESSION });
    const s = await startServer(root, tempDir());
    const deltas = collectDeltas(s);
    const asked: EditorChatParams[] = [];
    s.connection.onRequest(EditorChatRequest, async (params) => {
      asked.push(params);
      for (const piece of ['Refreshes ', 'the token [1].']) await s.connection.sendNotification(EditorChatDeltaNotification, { id: params.streamId, text: piece });
      return { status: 'ok' as const, text: 'Refreshes the token [1].', model: 'copilot/gpt-4o' };
    });
    await s.ready();
    await s.connection.sendNotification(ModelsNotification, { knowledge: { type: 'vscodeLm', model: 'copilot/gpt-4o' }, houseStyle: null, withheld: null });
    const answer = await s.connection.sendRequest(AskRequest, { id: 'a4', question: 'what does refreshSession do?' });
    expect(asked[0]?.messages.some((m) => m.content.includes('path="src/session.ts" lines="1-4"'))).toBe(true);
    expect(answer.route).toMatchObject({ role: 'knowledge', model: 'copilot/gpt-4o' });
    expect(deltas.map((d) => d.text).join('')).toBe('Refreshes the token [1].');
  });

  it('answers `@sourceline` with the model picked in the editor\'s chat, over the configured endpoint', async () => {
    const fake = new FakeOpenAI([{ kind: 'stream', text: 'the endpoint should not be asked' }]);
    fakes.push(fake);
    const baseUrl = await fake.start();
    const s = await startServer(tempDir({ 'src/session.ts': SESSION }), tempDir());
    const asked: EditorChatParams[] = [];
    s.connection.onRequest(EditorChatRequest, (params) => {
      asked.push(params);
      return { status: 'ok' as const, text: 'refreshSession returns the token with an exclamation mark appended to it [1].', model: 'copilot/claude' };
    });
    await s.ready();
    await s.connection.sendNotification(ModelsNotification, { knowledge: { type: 'openai', baseUrl, model: 'llama3.1', deadlineMs: 120_000 }, houseStyle: null, withheld: null });
    const answer = await s.connection.sendRequest(AskRequest, {
      id: 'p1', question: 'what does refreshSession return?', editorModel: { id: 'copilot-claude-sonnet', label: 'copilot/claude' },
      history: [{ question: 'where is the session refreshed?', answer: 'In refreshSession [1].', sources: ['src/session.ts'] }],
    });
    expect(asked).toHaveLength(1);
    expect(asked[0]?.modelId).toBe('copilot-claude-sonnet');
    // The participant's conversation reaches the model too.
    expect(asked[0]?.messages.some((m) => m.content.includes('where is the session refreshed?'))).toBe(true);
    expect(fake.requests).toHaveLength(0);
    expect(answer.route).toMatchObject({ role: 'knowledge', model: 'copilot/claude' });
    expect(answer.citations[0]).toMatchObject({ n: 1, status: 'ok' });
    expect(answer.claims).toEqual({ total: 1, cited: 1 });
    // An untrusted workspace sends nothing, the picked model included.
    await s.connection.sendNotification(ModelsNotification, { knowledge: null, houseStyle: null, withheld: 'this workspace is not trusted' });
    const withheld = await s.connection.sendRequest(AskRequest, { id: 'p2', question: 'what does refreshSession return?', editorModel: { id: 'copilot-claude-sonnet', label: 'copilot/claude' } });
    expect(withheld.route.role).toBe('sourcesOnly');
    expect(asked).toHaveLength(1);
  });

  it('falls back to sources only when the editor model fails', async () => {
    const s = await startServer(tempDir({ 'src/session.ts': SESSION }), tempDir());
    s.connection.onRequest(EditorChatRequest, () => ({ status: 'error' as const, message: 'The user has not consented to use the model.' }));
    await s.ready();
    await s.connection.sendNotification(ModelsNotification, { knowledge: { type: 'vscodeLm', model: 'copilot/gpt-4o' }, houseStyle: null, withheld: null });
    const answer = await s.connection.sendRequest(AskRequest, { id: 'a5', question: 'what does refreshSession do?' });
    expect(answer.route.role).toBe('sourcesOnly');
    expect(answer.fallback).toContain('not consented');
    expect(answer.answer).toContain('**src/session.ts**');
    expect(answer.citations[0]).toMatchObject({ n: 1, status: 'ok' });
  });

  it('sends nothing to a model in an untrusted workspace, and says why', async () => {
    const fake = new FakeOpenAI([{ kind: 'stream', text: 'should not be asked' }]);
    fakes.push(fake);
    const baseUrl = await fake.start();
    const s = await startServer(tempDir({ 'src/session.ts': SESSION }), tempDir());
    await s.ready();
    await s.connection.sendNotification(ModelsNotification, { knowledge: { type: 'openai', baseUrl, model: 'm', deadlineMs: 120_000 }, houseStyle: null, withheld: 'this workspace is not trusted' });
    const answer = await s.connection.sendRequest(AskRequest, { id: 'a6', question: 'what does refreshSession do?' });
    expect(answer.route.role).toBe('sourcesOnly');
    expect(answer.answer).toContain('this workspace is not trusted');
    expect(fake.requests).toHaveLength(0);
  });

  it('explains a selection: the selected lines are source [1]', async () => {
    const root = tempDir({ 'src/session.ts': SESSION, 'src/app.ts': "import { refreshSession } from './session';\nexport const keep = (t: string) => refreshSession(t);\n" });
    const s = await startServer(root, tempDir());
    await s.ready();
    const answer = await s.connection.sendRequest(AskRequest, { id: 'a7', question: 'Explain this code', focus: { file: path.join(root, 'src', 'app.ts'), startLine: 2, endLine: 2 } });
    expect(answer.sources[0]).toMatchObject({ n: 1, path: 'src/app.ts', startLine: 2, endLine: 2, foundBy: ['selection'] });
    expect(answer.sources.some((x) => x.path === 'src/session.ts')).toBe(true);
  });
});

describe('the index follows open editors and the index controls', () => {
  it('indexes unsaved editor text, and goes back to the disk when the editor closes unsaved', async () => {
    const root = tempDir({ 'src/a.ts': 'export const a = 1;\n' });
    const s = await startServer(root, tempDir());
    await s.ready();
    const uri = pathToFileURL(path.join(root, 'src', 'a.ts')).href;
    const logs: string[] = [];
    s.connection.onNotification('window/logMessage', (m: { message: string }) => logs.push(m.message));
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: 'export const a = 1;\n' } });
    const seen = s.states.length;
    await s.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: 'export function reconcileLedgerBalance() {\n  return 0;\n}\n' }],
    });
    await s.ready(seen);
    expect((await s.connection.sendRequest(SearchRequest, { query: 'reconcileLedgerBalance' })).results[0]?.symbol).toBe('reconcileLedgerBalance');
    // Typing re-indexes the edited file alone, without walking the folders; the status still counts them all.
    expect(logs.some((m) => m.startsWith('updated 1 files (1 changed'))).toBe(true);
    expect(s.states[s.states.length - 1]).toMatchObject({ state: 'ready', filesTotal: 1 });
    const before = s.states.length;
    await s.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await s.ready(before);
    expect((await s.connection.sendRequest(SearchRequest, { query: 'reconcileLedgerBalance' })).results.some((r) => r.symbol === 'reconcileLedgerBalance')).toBe(false);
    expect(readFileSync(path.join(root, 'src', 'a.ts'), 'utf8')).toBe('export const a = 1;\n');
    // Closing decided that one file too: no full walk since the first index.
    expect(logs.filter((m) => m.startsWith('indexed '))).toEqual([]);
  });

  it('file events and saves are decided path by path; a changed .gitignore walks the folders', async () => {
    const root = tempDir({ 'src/a.ts': 'export const alpha = 1;\n', 'src/old/gone.ts': 'export function goneSoon() {\n  return 1;\n}\n' });
    const s = await startServer(root, tempDir());
    await s.ready();
    const logs: string[] = [];
    s.connection.onNotification('window/logMessage', (m: { message: string }) => logs.push(m.message));
    const event = async (changes: ReadonlyArray<{ file: string; type: 1 | 2 | 3 }>): Promise<void> => {
      const seen = s.states.length;
      await s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map((c) => ({ uri: pathToFileURL(path.join(root, c.file)).href, type: c.type })) });
      await s.ready(seen);
    };
    const found = async (query: string, symbol: string): Promise<boolean> => (await s.connection.sendRequest(SearchRequest, { query })).results.some((r) => r.symbol === symbol);
    expect(await found('gone soon', 'goneSoon')).toBe(true);
    // A folder created with files in it (one event for the folder), and one deleted with its files.
    mkdirSync(path.join(root, 'src', 'fresh'));
    writeFileSync(path.join(root, 'src', 'fresh', 'b.ts'), 'export function settleInvoice() {\n  return 2;\n}\n');
    rmSync(path.join(root, 'src', 'old'), { recursive: true });
    await event([{ file: 'src/fresh', type: 1 }, { file: 'src/old', type: 3 }]);
    expect(await found('settle invoice', 'settleInvoice')).toBe(true);
    expect(await found('gone soon', 'goneSoon')).toBe(false);
    expect(logs.at(-1)).toMatch(/^updated 1 files \(1 changed, 1 deleted\)/);
    expect(s.states.at(-1)).toMatchObject({ state: 'ready', filesTotal: 2 });
    // Something written under an ignored folder is decided (excluded) without walking anything.
    mkdirSync(path.join(root, 'node_modules', 'x'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules', 'x', 'index.js'), 'exports.vendoredThing = 1;\n');
    await event([{ file: 'node_modules/x/index.js', type: 1 }]);
    expect(logs.at(-1)).toMatch(/^updated 0 files/);
    // A save of an open file: that file alone.
    const uri = pathToFileURL(path.join(root, 'src', 'a.ts')).href;
    const renamed = 'export function alphaRenamed() {\n  return 1;\n}\n';
    writeFileSync(path.join(root, 'src', 'a.ts'), renamed);
    await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: renamed } });
    const beforeSave = s.states.length;
    await s.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    await s.ready(beforeSave);
    expect(await found('alpha renamed', 'alphaRenamed')).toBe(true);
    expect(logs.filter((m) => m.startsWith('indexed '))).toEqual([]);
    // A rule file changed: what it decides may be anywhere, so the root is walked — and src/fresh,
    // not named by the event, leaves the index.
    writeFileSync(path.join(root, '.gitignore'), 'src/fresh/\n');
    await event([{ file: '.gitignore', type: 1 }]);
    expect(await found('settle invoice', 'settleInvoice')).toBe(false);
    expect(logs.at(-1)).toMatch(/^updated 2 files \(1 changed, 1 deleted\)/);
  });

  it('pauses and resumes indexing, and clears the index to rebuild it', async () => {
    const root = tempDir({ 'src/a.ts': 'export const alpha = 1;\n' });
    const s = await startServer(root, tempDir());
    await s.ready();
    await s.connection.sendRequest(IndexControlRequest, { action: 'pause' });
    expect((await s.connection.sendRequest(StatusRequest)).state).toBe('paused');
    writeFileSync(path.join(root, 'src', 'b.ts'), 'export const bravoOnly = 2;\n');
    await s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(root, 'src', 'b.ts')).href, type: 1 }] });
    await new Promise((r) => setTimeout(r, 500));
    expect((await s.connection.sendRequest(StatusRequest)).filesIndexed).toBe(1);
    const seen = s.states.length;
    await s.connection.sendRequest(IndexControlRequest, { action: 'resume' });
    await s.ready(seen);
    expect((await s.connection.sendRequest(StatusRequest)).filesIndexed).toBe(2);
    const cleared = s.states.length;
    await s.connection.sendRequest(IndexControlRequest, { action: 'clear' });
    await s.ready(cleared);
    expect(s.states.slice(cleared).map((x) => x.state)).toContain('starting');
    expect((await s.connection.sendRequest(StatusRequest)).filesIndexed).toBe(2);
    // Anything but pause, resume or clear is refused, never taken as a clear.
    await expect(s.connection.sendRequest(IndexControlRequest.method, { action: 'wipe' })).rejects.toThrow(/Unknown index action/);
    expect((await s.connection.sendRequest(StatusRequest)).filesIndexed).toBe(2);
  });

  it('re-includes a skipped file through .sourcelineignore', async () => {
    const root = tempDir({ 'src/a.ts': 'export const a = 1;\n', 'config/.env.example': 'API_URL=http://localhost\n' });
    const s = await startServer(root, tempDir());
    await s.ready();
    const status = await s.connection.sendRequest(StatusRequest);
    const skipped = status.skipped.find((f) => f.path === 'config/.env.example');
    expect(skipped?.reason).toBe('secret');
    const seen = s.states.length;
    const message = await s.connection.sendRequest(ReincludeRequest, { root: skipped?.root ?? '', path: 'config/.env.example' });
    expect(message).toContain('.sourcelineignore');
    expect(readFileSync(path.join(root, '.sourcelineignore'), 'utf8')).toContain('!/config/.env.example');
    await s.ready(seen);
    const after = await s.connection.sendRequest(StatusRequest);
    expect(after.skipped.some((f) => f.path === 'config/.env.example')).toBe(false);
    await expect(s.connection.sendRequest(ReincludeRequest, { root: skipped?.root ?? '', path: '../outside' })).rejects.toThrow(/not a path inside/);
  });
});

describe('a damaged index under the running server', () => {
  it('is moved aside and rebuilt by the index thread when a query finds it', async () => {
    const root = tempDir();
    writeSyntheticProject(root, 80);
    const storage = tempDir();
    const s = await startServer(root, storage);
    await s.ready();
    const db = findIndex(storage);
    for (const file of [db, `${db}-wal`]) {
      if (!existsSync(file)) continue;
      const size = statSync(file).size;
      const fd = openSync(file, 'r+');
      const junk = Buffer.alloc(4096, 0xa5);
      for (let offset = 4096; offset < size - 4096; offset += 8192) writeSync(fd, junk, 0, junk.length, offset);
      closeSync(fd);
    }
    const seen = s.states.length;
    const first = await s.connection.sendRequest(SearchRequest, { query: 'handleRequest3x1', limit: 3 }).then(() => 'answered', (e: unknown) => String(e));
    expect(first).toMatch(/damaged: it was moved aside and is being rebuilt/);
    await s.ready(seen);
    expect(readdirSync(path.dirname(db)).some((f) => /^index\.db\.unusable-/.test(f))).toBe(true);
    expect((await s.connection.sendRequest(SearchRequest, { query: 'handleRequest3x1', limit: 1 })).results[0]?.symbol).toBe('handleRequest3x1');
  });
});

function findIndex(storage: string): string {
  for (const dir of readdirSync(storage)) {
    const db = path.join(storage, dir, 'index.db');
    if (existsSync(db)) return db;
  }
  throw new Error('no index.db under the storage folder');
}

describe('the house-style commands through the server', () => {
  it('drafts a docstring for the unit under the cursor with the house-style model, unsaved text included', async () => {
    const fake = new FakeOpenAI([{ kind: 'stream', text: '/** Revokes every session of a user. */' }]);
    fakes.push(fake);
    const baseUrl = await fake.start();
    const root = tempDir({ 'src/session.ts': SESSION });
    const s = await startServer(root, tempDir());
    await s.ready();
    await s.connection.sendNotification(ModelsNotification, { knowledge: null, houseStyle: { type: 'openai', baseUrl, model: 'ft:house', deadlineMs: 120_000 }, withheld: null });
    const file = path.join(root, 'src', 'session.ts');
    const text = `${SESSION}\nexport function revokeAll(user: string): number {\n  return user.length;\n}\n`;
    const answer = await s.connection.sendRequest(DraftDocstringRequest, { id: 'd1', file, line: 7, text });
    // The new function has no doc comment: the draft goes above it, at its indentation.
    expect(answer.kind).toEqual({ type: 'docstring', file, line: 7, placement: { line: 6, indent: '', replaces: null, anchor: 'export function revokeAll(user: string): number {' }, symbol: 'revokeAll' });
    expect(answer.route).toMatchObject({ role: 'houseStyle', model: 'ft:house' });
    expect(answer.sources[0]).toMatchObject({ n: 1, startLine: 6, endLine: 8 });
    expect(answer.answer).toBe('/** Revokes every session of a user. */');
  });

  it('drafts a commit message for the staged diff, sources only without a model', async () => {
    const root = tempDir({ 'src/session.ts': SESSION });
    git(root, 'init', '-q');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'feat(session): refresh tokens');
    writeFileSync(path.join(root, 'src', 'session.ts'), `${SESSION}export const TTL = 3600;\n`);
    git(root, 'add', '.');
    const s = await startServer(root, tempDir());
    await s.ready();
    const answer = await s.connection.sendRequest(DraftCommitMessageRequest, { id: 'c1', root });
    expect(answer.kind).toEqual({ type: 'commitMessage', root });
    expect(answer.route.role).toBe('sourcesOnly');
    expect(answer.answer).toMatch(/Conventional Commits/);
    await expect(s.connection.sendRequest(DraftCommitMessageRequest, { id: 'c2', root: tempDir() })).rejects.toThrow(/not a git repository/);
  });
});
