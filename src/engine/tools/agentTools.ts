/**
 * Sourceline's tools for coding agents, declared once: served over MCP (`sourceline mcp`) and as VS
 * Code language-model tools (through the language server). Each has an input and output schema, a
 * description written for a model, and a handler that returns text a model reads well plus the
 * same facts structured (exact paths and line ranges).
 */
import { z } from 'zod';
import { codeSearch, DEFAULT_READ_LINES, indexStatus, MAX_READ_LINES, readRange, symbolLookup, type ToolContext, type ToolOutput } from './handlers';

export type { ToolContext, ToolIndexState, ToolOutput } from './handlers';

export const MAX_LIMIT = 50;

const range = { path: z.string(), startLine: z.number().int(), endLine: z.number().int(), citation: z.string() };
const index = z.object({ phase: z.enum(['indexing', 'ready', 'failed']), note: z.string() });

export const SEARCH_INPUT = {
  query: z.string().trim().min(1, 'query must not be empty: give words or a symbol name').describe('What to find: a question, a description of behaviour, or a symbol name'),
  limit: z.number().int().min(1).max(MAX_LIMIT).default(10).describe(`How many ranges (1-${MAX_LIMIT}, default 10)`),
  path: z.string().optional().describe('Only files matching this glob, e.g. "src/**" or "**/*.py"'),
  language: z.string().optional().describe('Only files in this language, e.g. "typescript", "python", "go", "rust"'),
};
export const SYMBOL_INPUT = {
  name: z.string().trim().regex(/^[\p{L}_$][\p{L}\p{N}_$.:#-]*$/u, 'name must be one identifier such as parseConfig or Foo.bar, without spaces').describe('The symbol name'),
  limit: z.number().int().min(1).max(MAX_LIMIT).default(10).describe('How many usages (default 10)'),
};
export const READ_INPUT = {
  path: z.string().trim().min(1, 'path must name a file, as search_code returns it').describe('File path as search_code returns it'),
  startLine: z.number().int().min(1, 'startLine counts from 1').describe('First line (1-based)'),
  endLine: z.number().int().min(1).optional().describe(`Last line (default startLine + ${DEFAULT_READ_LINES - 1})`),
};
export const STATUS_INPUT = {};

export const AGENT_TOOLS = {
  search_code: {
    title: 'Search the codebase',
    description: 'Ranked search of the indexed codebase by meaning and by name (BM25 + embeddings + definitions). Use it before grep: ask in words ("where are sessions refreshed") or give a symbol. Returns ranges with snippets; cite them as path:start-end. Read more of a range with read_range.',
    input: SEARCH_INPUT,
    output: { query: z.string(), results: z.array(z.object({ ...range, symbol: z.string(), kind: z.string(), score: z.number(), sources: z.array(z.string()), snippet: z.string(), file: z.string() })), index },
  },
  find_symbol: {
    title: 'Definition and usages of a symbol',
    description: 'Where a function, class, type or variable is defined (from the index of definitions), then the places that use it. Give the bare name ("parseConfig", "UserService").',
    input: SYMBOL_INPUT,
    output: {
      name: z.string(),
      definitions: z.array(z.object({ ...range, symbol: z.string(), kind: z.string(), snippet: z.string(), file: z.string() })),
      usages: z.array(z.object({ ...range, symbol: z.string(), snippet: z.string(), file: z.string() })),
      index,
    },
  },
  read_range: {
    title: 'Read lines of an indexed file',
    description: `The current text of lines startLine..endLine of a file the index holds (secrets redacted), with line numbers and the citation to quote. At most ${MAX_READ_LINES} lines per call.`,
    input: READ_INPUT,
    output: { ...range, text: z.string(), totalLines: z.number().int(), redactedLines: z.number().int(), file: z.string() },
  },
  index_status: {
    title: 'Index status',
    description: 'What the index holds: folders, files indexed and skipped (by reason), secrets redacted, the embedding model, and whether it is still being built or up to date.',
    input: STATUS_INPUT,
    output: {
      roots: z.array(z.object({ name: z.string(), path: z.string(), files: z.number().int() })),
      filesIndexed: z.number().int(),
      filesSkipped: z.number().int(),
      skippedByReason: z.record(z.number().int()),
      filesWithRedactions: z.number().int(),
      chunks: z.number().int(),
      vectors: z.number().int(),
      model: z.string().nullable(),
      lastIndexedAt: z.string().nullable(),
      index,
    },
  },
} as const;

export type AgentToolName = keyof typeof AGENT_TOOLS;

export function isAgentToolName(value: unknown): value is AgentToolName {
  return typeof value === 'string' && Object.hasOwn(AGENT_TOOLS, value);
}

/** Validates `input` against the tool's schema and runs it; a bad argument is an error result that says what to fix. */
export async function runAgentTool(name: AgentToolName, input: unknown, ctx: ToolContext): Promise<ToolOutput> {
  switch (name) {
    case 'search_code': {
      const args = z.object(SEARCH_INPUT).safeParse(input ?? {});
      return args.success ? codeSearch(ctx, args.data) : invalid(args.error);
    }
    case 'find_symbol': {
      const args = z.object(SYMBOL_INPUT).safeParse(input ?? {});
      return args.success ? symbolLookup(ctx, args.data) : invalid(args.error);
    }
    case 'read_range': {
      const args = z.object(READ_INPUT).safeParse(input ?? {});
      return args.success ? readRange(ctx, args.data) : invalid(args.error);
    }
    case 'index_status':
      return indexStatus(ctx);
  }
}

function invalid(error: z.ZodError): ToolOutput {
  const text = error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
  return { isError: true, text: `Invalid arguments — ${text}.`, structured: null };
}
