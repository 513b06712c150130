import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli';
import { tempDir, writeFiles } from '../helpers/tmp';

const PROJECT = {
  'src/session.ts': [
    '/** Refreshes a session token shortly before it expires. */',
    'export function refreshSession(token: string): string {',
    "  return token + ':refreshed';",
    '}',
  ].join('\n'),
  'src/api.ts': [
    "import { refreshSession } from './session';",
    '',
    'export function handleRequest(token: string): string {',
    '  return refreshSession(token);',
    '}',
  ].join('\n'),
  'src/config.ts': `export const settings = { region: 'eu', apiKey: 'sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}' };\n`,
  '.env': 'DATABASE_PASSWORD=hunter22\n',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(result: unknown): string {
  if (!isRecord(result) || !Array.isArray(result['content'])) return '';
  return result['content'].map((c: unknown) => (isRecord(c) && typeof c['text'] === 'string' ? c['text'] : '')).join('\n');
}

function structured(result: unknown): Record<string, unknown> {
  const s = isRecord(result) ? result['structuredContent'] : undefined;
  if (!isRecord(s)) throw new Error(`no structuredContent in ${JSON.stringify(result)}`);
  return s;
}

async function until<T>(probe: () => Promise<T | null>, what: string, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('sourceline mcp over stdio, driven by the SDK client', () => {
  // One project for the whole session (tempDir's folders last one test only).
  const root = mkdtempSync(path.join(os.tmpdir(), 'sourceline-mcp-'));
  const db = path.join(root, '.sourceline-test', 'index.db');
  const client = new Client({ name: 'sourceline-test', version: '1.0.0' });
  let stderr = '';

  beforeAll(async () => {
    writeFiles(root, PROJECT);
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--root', root, '--db', db], stderr: 'pipe' });
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await client.connect(transport);
    await until(async () => {
      const status = structured(await client.callTool({ name: 'index_status', arguments: {} }));
      return isRecord(status['index']) && status['index']['phase'] === 'ready' ? status : null;
    }, 'the first index');
  }, 60_000);

  afterAll(async () => {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists the four tools, each with an input schema and a description', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['find_symbol', 'index_status', 'read_range', 'search_code']);
    for (const t of tools) {
      expect(t.description?.length ?? 0).toBeGreaterThan(40);
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
    }
  });

  it('search_code returns ranked ranges with exact paths and lines, and a text a model can read', async () => {
    const result = await client.callTool({ name: 'search_code', arguments: { query: 'refresh a session token before it expires', limit: 3 } });
    const results = structured(result)['results'];
    if (!Array.isArray(results)) throw new Error('no results');
    expect(results[0]).toMatchObject({ path: 'src/session.ts', startLine: 1, endLine: 4, citation: 'src/session.ts:1-4' });
    expect(textOf(result)).toContain('src/session.ts:1-4');
    const filtered = structured(await client.callTool({ name: 'search_code', arguments: { query: 'refreshSession', path: 'src/api.*' } }))['results'];
    expect(Array.isArray(filtered) ? filtered.map((r: unknown) => (isRecord(r) ? r['path'] : '')) : []).toEqual(['src/api.ts']);
  });

  it('find_symbol gives the definition first and the usages apart', async () => {
    const out = structured(await client.callTool({ name: 'find_symbol', arguments: { name: 'refreshSession' } }));
    expect(out['definitions']).toEqual([expect.objectContaining({ path: 'src/session.ts', startLine: 1, citation: 'src/session.ts:1-4' })]);
    const usages = out['usages'];
    expect(Array.isArray(usages) ? usages.map((u: unknown) => (isRecord(u) ? u['path'] : '')) : []).toContain('src/api.ts');
  });

  it('read_range returns numbered lines with the citation, redacts secrets and refuses excluded files', async () => {
    const read = await client.callTool({ name: 'read_range', arguments: { path: 'src/api.ts', startLine: 3, endLine: 4 } });
    expect(structured(read)).toMatchObject({ citation: 'src/api.ts:3-4', text: 'export function handleRequest(token: string): string {\n  return refreshSession(token);' });
    expect(textOf(read)).toContain('3| export function handleRequest');
    const secret = await client.callTool({ name: 'read_range', arguments: { path: 'src/config.ts', startLine: 1 } });
    expect(textOf(secret)).not.toContain('4eC39HqLyjWDarjtT1zdp7dc');
    expect(textOf(secret)).toContain('«redacted:');
    const env = await client.callTool({ name: 'read_range', arguments: { path: '.env', startLine: 1 } });
    expect(env.isError).toBe(true);
    expect(textOf(env)).toMatch(/not indexed \(secret/);
    expect(textOf(env)).not.toContain('hunter22');
  });

  it('a bad argument is an error that says what to fix', async () => {
    const empty = await client.callTool({ name: 'search_code', arguments: { query: '   ' } });
    expect(empty.isError).toBe(true);
    expect(textOf(empty)).toContain('query must not be empty');
    const zero = await client.callTool({ name: 'read_range', arguments: { path: 'src/api.ts', startLine: 0 } });
    expect(zero.isError).toBe(true);
    expect(textOf(zero)).toContain('startLine counts from 1');
    const backwards = await client.callTool({ name: 'read_range', arguments: { path: 'src/api.ts', startLine: 4, endLine: 2 } });
    expect(backwards.isError).toBe(true);
    expect(textOf(backwards)).toMatch(/endLine \(2\) is before startLine \(4\)/);
  });

  it('finds a file edited while the server runs, without a restart', async () => {
    writeFileSync(path.join(root, 'src', 'billing.ts'), '/** Computes the prorated invoice amount for a plan change. */\nexport function prorateInvoice(days: number): number {\n  return days / 30;\n}\n');
    const hit = await until(async () => {
      const results = structured(await client.callTool({ name: 'search_code', arguments: { query: 'prorated invoice amount', limit: 1 } }))['results'];
      const first: unknown = Array.isArray(results) ? results[0] : undefined;
      return isRecord(first) && first['path'] === 'src/billing.ts' ? first : null;
    }, 'the new file to be searchable');
    expect(hit).toMatchObject({ startLine: 1, endLine: 4 });
    // Nothing but the protocol went to stdout (the SDK would have failed to parse it); logs went to stderr.
    expect(stderr).toContain('sourceline mcp: serving');
  });
});

describe('sourceline mcp --print-config', () => {
  it('prints a snippet per client that launches this CLI with the roots given', () => {
    const root = tempDir({ 'a.ts': 'export const a = 1;\n' });
    const vscode = runCli(['mcp', '--print-config', 'vscode', '--root', root]);
    expect(vscode.code).toBe(0);
    const json: unknown = JSON.parse(vscode.stdout.slice(vscode.stdout.indexOf('{')));
    expect(json).toMatchObject({ servers: { sourceline: { type: 'stdio', command: process.execPath, args: [expect.stringMatching(/cli\.js$|sourceline\.js$/), 'mcp', '--root', '${workspaceFolder}'] } } });
    const codex = runCli(['mcp', '--print-config', 'codex', '--root', root]);
    expect(codex.stdout).toContain('[mcp_servers.sourceline]');
    expect(codex.stdout).toContain(JSON.stringify(root));
    const bad = runCli(['mcp', '--print-config', 'emacs']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('vscode, claude, cursor, codex');
  });
});
