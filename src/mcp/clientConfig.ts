/** MCP clients `sourceline mcp --print-config <client>` writes a configuration snippet for. */
export const MCP_CLIENTS = ['vscode', 'claude', 'cursor', 'codex'] as const;
export type McpClient = (typeof MCP_CLIENTS)[number];

export function isMcpClient(value: string): value is McpClient {
  return MCP_CLIENTS.some((c) => c === value);
}

export interface LaunchCommand {
  /** The Node.js executable, absolute: clients start servers without the user's shell PATH. */
  readonly command: string;
  /** The CLI script and `mcp --root …` arguments. */
  readonly args: readonly string[];
}

function toml(value: string): string {
  return JSON.stringify(value);
}

/**
 * The snippet that makes `client` start this server, with where it goes. VS Code resolves
 * `${workspaceFolder}` itself, so its snippet follows whichever folder is open; the others name the
 * folders given (`--root`), absolute.
 */
export function clientConfig(client: McpClient, launch: LaunchCommand, vscodeLaunch: LaunchCommand): string {
  const server = { command: launch.command, args: launch.args };
  switch (client) {
    case 'vscode':
      return `// .vscode/mcp.json (or "MCP: Add Server…" in the Command Palette)\n${JSON.stringify({ servers: { sourceline: { type: 'stdio', command: vscodeLaunch.command, args: vscodeLaunch.args } } }, null, 2)}`;
    case 'claude':
      return `# Claude Code: run once in the project\nclaude mcp add sourceline -- ${[launch.command, ...launch.args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')}\n\n# or commit .mcp.json:\n${JSON.stringify({ mcpServers: { sourceline: server } }, null, 2)}`;
    case 'cursor':
      return `// .cursor/mcp.json in the project (or ~/.cursor/mcp.json for every project)\n${JSON.stringify({ mcpServers: { sourceline: server } }, null, 2)}`;
    case 'codex':
      return `# ~/.codex/config.toml\n[mcp_servers.sourceline]\ncommand = ${toml(launch.command)}\nargs = [${launch.args.map(toml).join(', ')}]`;
  }
}
