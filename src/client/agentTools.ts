import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AgentToolRequest } from '../shared/protocol';
import type { AgentToolResultWire } from '../shared/types';

/**
 * The editor's language-model tools (Copilot agent mode and any chat in the editor can call them),
 * declared in package.json `contributes.languageModelTools` and served by the language server from
 * the same handlers as `sourceline mcp`.
 */
export const LM_TOOLS = [
  { id: 'sourceline_search_code', tool: 'search_code' },
  { id: 'sourceline_find_symbol', tool: 'find_symbol' },
  { id: 'sourceline_read_range', tool: 'read_range' },
  { id: 'sourceline_index_status', tool: 'index_status' },
] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the invocation message says while the tool runs. */
function progressText(tool: (typeof LM_TOOLS)[number]['tool'], input: unknown): string {
  const get = (key: string): string => (isRecord(input) && typeof input[key] === 'string' ? input[key] : '');
  switch (tool) {
    case 'search_code':
      return `Searching the codebase for "${get('query')}"`;
    case 'find_symbol':
      return `Finding ${get('name')}`;
    case 'read_range':
      return `Reading ${get('path')}`;
    case 'index_status':
      return 'Reading the index status';
  }
}

/**
 * The result as the calling model reads it, followed by the ranges as file URIs with line anchors,
 * so a chat can link each one to the editor.
 */
function toToolResult(result: AgentToolResultWire): vscode.LanguageModelToolResult {
  const ranges: string[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (isRecord(value)) {
      if (typeof value['file'] === 'string' && typeof value['startLine'] === 'number' && typeof value['endLine'] === 'number') {
        ranges.push(`${vscode.Uri.file(value['file']).with({ fragment: `L${value['startLine']}-L${value['endLine']}` }).toString()}`);
      }
      Object.values(value).forEach(collect);
    }
  };
  collect(result.structured);
  const links = ranges.length === 0 ? '' : `\n\nRanges (open in the editor):\n${[...new Set(ranges)].join('\n')}`;
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(`${result.text}${links}`)]);
}

export function registerAgentTools(client: LanguageClient): vscode.Disposable[] {
  return LM_TOOLS.map(({ id, tool }) =>
    vscode.lm.registerTool<unknown>(id, {
      prepareInvocation: (options) => ({ invocationMessage: progressText(tool, options.input) }),
      invoke: async (options, token) => {
        // An untrusted folder's code is not handed to a language model (the caller may be a remote one).
        if (!vscode.workspace.isTrusted) {
          return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart('This workspace is not trusted, so Sourceline does not hand its code to language models. Trust it first (Workspaces: Manage Workspace Trust).')]);
        }
        const result = await client.sendRequest(AgentToolRequest, { name: tool, input: options.input }, token);
        if (result.isError) throw new Error(result.text);
        return toToolResult(result);
      },
    }),
  );
}
