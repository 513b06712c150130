import { isAgentToolName, runAgentTool, type ToolIndexState } from '../engine/tools/agentTools';
import { AgentToolRequest } from '../shared/protocol';
import type { IndexState } from '../shared/types';
import type { QueryContext } from './queries';

/** What tool results say about the index, from the server's own state. */
function indexNote(state: IndexState): ToolIndexState {
  switch (state) {
    case 'ready':
      return { phase: 'ready', note: 'The index is up to date.' };
    case 'error':
      return { phase: 'failed', note: 'The last index update failed (see the Sourceline output); results may be missing or stale.' };
    case 'paused':
      return { phase: 'ready', note: 'Indexing is paused: results may miss recent changes.' };
    case 'starting':
    case 'indexing':
      return { phase: 'indexing', note: 'The index is still being built: results cover what is indexed so far.' };
  }
}

/** Serves the agent tools to the client's language-model tools, on the main thread's index reader. */
export function registerAgentTools(ctx: QueryContext): void {
  ctx.connection.onRequest(AgentToolRequest, async (params) => {
    if (!isAgentToolName(params.name)) return { isError: true, text: `Unknown tool ${String(params.name)}.`, structured: null };
    const ws = ctx.workspace();
    if (ws === null) return { isError: true, text: 'The index is not open yet; try again in a moment.', structured: null };
    try {
      return await runAgentTool(params.name, params.input, { ws, index: () => indexNote(ctx.state()) });
    } catch (error) {
      return ctx.toResponseError(error);
    }
  });
}
