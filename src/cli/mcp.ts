import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { clientConfig, type McpClient } from '../mcp/clientConfig';
import type { CliArgs } from './args';

/** The snippet for `client`, launching this very CLI script with the same roots and database. */
export function printMcpConfig(args: CliArgs, client: McpClient): string {
  const script = realpathSync(process.argv[1] ?? path.join(__dirname, 'cli.js'));
  const db = args.db === undefined ? [] : ['--db', args.db];
  const launch = { command: process.execPath, args: [script, 'mcp', ...args.roots.flatMap((r) => ['--root', r]), ...db] };
  return clientConfig(client, launch, { command: process.execPath, args: [script, 'mcp', '--root', '${workspaceFolder}', ...db] });
}
