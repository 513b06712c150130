import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AGENT_TOOLS, runAgentTool, type AgentToolName, type ToolContext, type ToolOutput } from '../engine/tools/agentTools';

function toResult(out: ToolOutput): CallToolResult {
  return { isError: out.isError, content: [{ type: 'text', text: out.text }], ...(out.structured === null ? {} : { structuredContent: out.structured }) };
}

function spec(name: AgentToolName): { title: string; description: string; outputSchema: (typeof AGENT_TOOLS)[AgentToolName]['output']; annotations: { readOnlyHint: true; openWorldHint: false } } {
  const t = AGENT_TOOLS[name];
  return { title: t.title, description: t.description, outputSchema: t.output, annotations: { readOnlyHint: true, openWorldHint: false } };
}

/** Registers the agent tools (src/engine/tools/agentTools.ts) on an MCP server. */
export function registerTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool('search_code', { ...spec('search_code'), inputSchema: AGENT_TOOLS.search_code.input }, async (args) => toResult(await runAgentTool('search_code', args, ctx)));
  server.registerTool('find_symbol', { ...spec('find_symbol'), inputSchema: AGENT_TOOLS.find_symbol.input }, async (args) => toResult(await runAgentTool('find_symbol', args, ctx)));
  server.registerTool('read_range', { ...spec('read_range'), inputSchema: AGENT_TOOLS.read_range.input }, async (args) => toResult(await runAgentTool('read_range', args, ctx)));
  server.registerTool('index_status', { ...spec('index_status'), inputSchema: AGENT_TOOLS.index_status.input }, async () => toResult(await runAgentTool('index_status', {}, ctx)));
}
