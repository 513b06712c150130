import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Workspace } from '../engine/workspace';
import { LiveIndex } from '../engine/liveIndex';
import { freshness } from './freshness';
import { registerTools } from './tools';

declare const SOURCELINE_VERSION: string | undefined;

/**
 * `sourceline mcp`: Sourceline's index as Model Context Protocol tools over stdio. Indexing starts in
 * the background and follows file changes; stdout carries only the protocol (logs go to stderr).
 * Resolves when the client disconnects.
 */
export async function serveMcp(ws: Workspace, log: (message: string) => void): Promise<void> {
  const live = new LiveIndex(ws, { label: 'sourceline mcp', log });
  const server = new McpServer(
    { name: 'sourceline', version: typeof SOURCELINE_VERSION === 'string' ? SOURCELINE_VERSION : '0.0.0' },
    { instructions: 'Sourceline searches this codebase locally. Prefer search_code over grep to find where behaviour lives, find_symbol for a definition and its usages, and read_range to read more; cite ranges as path:start-end.' },
  );
  registerTools(server, { ws, index: () => freshness(live.state()) });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.on('end', () => resolve());
  });
  await server.connect(transport);
  live.start();
  log(`sourceline mcp: serving ${ws.config.roots.map((r) => r.path).join(', ')} (index ${ws.config.dbPath})`);
  await closed;
  await live.close();
  await server.close();
}
