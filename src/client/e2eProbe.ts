import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { StatusRequest } from '../shared/protocol';
import { LM_TOOLS } from './agentTools';

/** Set by the real-VS-Code suite (test/e2e/run.mjs) to a file for the results; unset for users, so nothing here runs. */
export const LM_TOOLS_PROBE_ENV = 'SOURCELINE_E2E_LM_TOOLS';

const INPUTS: Readonly<Record<(typeof LM_TOOLS)[number]['id'], object>> = {
  sourceline_search_code: { query: 'refresh a session token before it expires', limit: 3 },
  sourceline_find_symbol: { name: 'refreshSession' },
  sourceline_read_range: { path: 'src/app.ts', startLine: 3, endLine: 5 },
  sourceline_index_status: {},
};

function textOf(result: vscode.LanguageModelToolResult): string {
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

/**
 * Calls each language-model tool through `vscode.lm.invokeTool` in this extension host once the
 * index is ready — the path Copilot agent mode takes — and writes what came back, for the e2e
 * suite to check. Also one call with a bad argument.
 */
export async function runLmToolsProbe(client: LanguageClient, out: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await client.sendRequest(StatusRequest)).state !== 'ready') {
    if (Date.now() > deadline) throw new Error('the index did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const registered = vscode.lm.tools.map((t) => t.name).filter((n) => n.startsWith('sourceline_'));
  const results: Record<string, string> = {};
  for (const { id } of LM_TOOLS) {
    results[id] = textOf(await vscode.lm.invokeTool(id, { input: INPUTS[id], toolInvocationToken: undefined }));
  }
  let badArgument = '';
  try {
    await vscode.lm.invokeTool('sourceline_read_range', { input: { path: 'src/app.ts', startLine: 9, endLine: 2 }, toolInvocationToken: undefined });
  } catch (error) {
    badArgument = error instanceof Error ? error.message : String(error);
  }
  await writeFile(out, JSON.stringify({ registered, results, badArgument }, null, 2));
}
