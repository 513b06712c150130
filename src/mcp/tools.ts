import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { absoluteFile, relativeInside } from '../engine/paths';
import { redactSecrets } from '../engine/redact/redact';
import { definingChunks } from '../engine/retrieve/definitions';
import type { SearchHit } from '../engine/retrieve/search';
import { bestSnippet } from '../engine/retrieve/snippet';
import { knownFiles, type KnownFile } from '../engine/store/fileLookup';
import { readChunks } from '../engine/store/readChunks';
import { languageNameOf } from '../engine/walk/fileKinds';
import type { Workspace } from '../engine/workspace';
import type { LiveIndex, LiveState } from './liveIndex';
import { globMatcher } from './glob';

/** Most lines one read returns: enough for a long function, little enough for a model's context. */
const MAX_READ_LINES = 400;
const DEFAULT_READ_LINES = 120;
const SNIPPET_LINES = 8;
const MAX_LIMIT = 50;
/** Filters are applied to a deeper list, so a narrow filter still fills the limit. */
const FILTER_DEPTH = 200;

const range = {
  path: z.string(),
  startLine: z.number().int(),
  endLine: z.number().int(),
  citation: z.string(),
};

const indexShape = {
  phase: z.enum(['indexing', 'ready', 'failed']),
  note: z.string(),
};

function freshness(live: LiveState): { phase: LiveState['phase']; note: string } {
  if (live.phase === 'failed') return { phase: live.phase, note: `The index could not be built (${live.error ?? 'unknown error'}); results may be missing.` };
  if (live.phase === 'indexing') {
    const progress = live.progress === null ? '' : ` (${live.progress.done} of ${live.progress.total} files checked)`;
    return { phase: live.phase, note: `The index is still being built${progress}: results cover what is indexed so far.` };
  }
  return { phase: live.phase, note: live.pendingFiles > 0 ? `${live.pendingFiles} changed files are being re-indexed.` : 'The index is up to date.' };
}

function citationOf(displayPath: string, startLine: number, endLine: number): string {
  return `${displayPath}:${startLine}-${endLine}`;
}

function fail(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

function fence(relPath: string, text: string): string {
  const ext = path.extname(relPath).slice(1);
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${ext}\n${text}\n${ticks}`;
}

function hitResult(h: SearchHit, query: string): { path: string; startLine: number; endLine: number; citation: string; symbol: string; kind: string; score: number; sources: string[]; snippet: string } {
  const snippet = bestSnippet(h.text, h.startLine, query, SNIPPET_LINES);
  return {
    path: h.displayPath, startLine: h.startLine, endLine: h.endLine, citation: citationOf(h.displayPath, h.startLine, h.endLine),
    symbol: h.symbol, kind: h.kind, score: Number(h.score.toFixed(6)), sources: [...h.sources], snippet: snippet.text,
  };
}

function listText(title: string, results: ReadonlyArray<ReturnType<typeof hitResult>>, note: string): string {
  const body = results.map((r, i) => `${i + 1}. ${r.citation}${r.symbol === '' ? '' : ` — ${r.kind} ${r.symbol}`} [${r.sources.join('+')}]\n${fence(r.path, r.snippet)}`).join('\n');
  return `${title}\n${note}\n\n${body}`.trim();
}

/** The file a tool argument names: relative to a root (prefixed by the root's name when there are several) or absolute inside one. */
function resolveFile(ws: Workspace, given: string): { file: KnownFile } | { error: string } {
  const roots = ws.config.roots;
  const candidates: Array<{ rootPath: string; rel: string }> = [];
  for (const root of roots) {
    if (path.isAbsolute(given)) {
      const rel = relativeInside(root.path, given);
      if (rel !== null) candidates.push({ rootPath: root.path, rel });
      continue;
    }
    const clean = given.replace(/^\.\//, '').split(path.sep).join('/');
    candidates.push({ rootPath: root.path, rel: clean });
    if (clean.startsWith(`${root.name}/`)) candidates.push({ rootPath: root.path, rel: clean.slice(root.name.length + 1) });
  }
  const found = candidates.flatMap((c) => knownFiles(ws.indexStore.db, c.rel).filter((f) => f.rootPath === c.rootPath));
  const indexed = found.find((f) => f.status === 'indexed');
  if (indexed !== undefined) return { file: indexed };
  const skipped = found[0];
  if (skipped !== undefined) {
    return { error: `${given} is not indexed (${skipped.reason ?? 'skipped'}${skipped.detail === null ? '' : `: ${skipped.detail}`}), so it cannot be read through this tool. Read only files that search_code returns.` };
  }
  return { error: `${given} is not a file the index knows. Give a path as search_code returns it (relative to the indexed folder${roots.length > 1 ? ', prefixed by the folder name' : ''}).` };
}

/** Registers Sourceline's four tools on an MCP server: search, symbol definitions and usages, reading a range, index status. */
export function registerTools(server: McpServer, ws: Workspace, live: LiveIndex): void {
  server.registerTool(
    'search_code',
    {
      title: 'Search the codebase',
      description: 'Ranked search of the indexed codebase by meaning and by name (BM25 + embeddings + definitions). Use it before grep: ask in words ("where are sessions refreshed") or give a symbol. Returns ranges with snippets; cite them as path:start-end. Read more of a range with read_range.',
      inputSchema: {
        query: z.string().trim().min(1, 'query must not be empty: give words or a symbol name').describe('What to find: a question, a description of behaviour, or a symbol name'),
        limit: z.number().int().min(1).max(MAX_LIMIT).default(10).describe(`How many ranges (1-${MAX_LIMIT}, default 10)`),
        path: z.string().optional().describe('Only files matching this glob, e.g. "src/**" or "**/*.py"'),
        language: z.string().optional().describe('Only files in this language, e.g. "typescript", "python", "go", "rust"'),
      },
      outputSchema: { query: z.string(), results: z.array(z.object({ ...range, symbol: z.string(), kind: z.string(), score: z.number(), sources: z.array(z.string()), snippet: z.string() })), index: z.object(indexShape) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query, limit, path: glob, language }) => {
      const matches = glob === undefined ? null : globMatcher(glob);
      const lang = language?.trim().toLowerCase();
      const filtered = matches !== null || lang !== undefined;
      const outcome = await ws.search(query, { limit: filtered ? FILTER_DEPTH : limit });
      const hits = outcome.hits
        .filter((h) => matches === null || matches(h.relPath) || matches(h.displayPath))
        .filter((h) => lang === undefined || languageNameOf(path.posix.basename(h.relPath)) === lang || path.extname(h.relPath).slice(1).toLowerCase() === lang)
        .slice(0, limit);
      const results = hits.map((h) => hitResult(h, query));
      const index = freshness(live.state());
      const note = [index.note, outcome.degraded === null ? '' : `Vector search is unavailable (${outcome.degraded}): lexical results only.`].filter((n) => n !== '').join(' ');
      const title = results.length === 0 ? `No ranges found for "${query}"${filtered ? ' with these filters' : ''}. Try other words or a symbol name.` : `${results.length} ranges for "${query}":`;
      return { content: [{ type: 'text', text: listText(title, results, note) }], structuredContent: { query, results, index: { ...index, note } } };
    },
  );

  server.registerTool(
    'find_symbol',
    {
      title: 'Definition and usages of a symbol',
      description: 'Where a function, class, type or variable is defined (from the index of definitions), then the places that use it. Give the bare name ("parseConfig", "UserService").',
      inputSchema: {
        name: z.string().trim().regex(/^[\p{L}_$][\p{L}\p{N}_$.:#-]*$/u, 'name must be one identifier such as parseConfig or Foo.bar, without spaces').describe('The symbol name'),
        limit: z.number().int().min(1).max(MAX_LIMIT).default(10).describe('How many usages (default 10)'),
      },
      outputSchema: {
        name: z.string(),
        definitions: z.array(z.object({ ...range, symbol: z.string(), kind: z.string(), snippet: z.string() })),
        usages: z.array(z.object({ ...range, symbol: z.string(), snippet: z.string() })),
        index: z.object(indexShape),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ name, limit }) => {
      const bare = name.split(/[.:#]+/).pop() ?? name;
      const ids = [...definingChunks(ws.indexStore.db, [...new Set([name, bare])]).keys()];
      const multi = ws.config.roots.length > 1;
      const definitions = readChunks(ws.indexStore.db, ids).map((row) => {
        const shown = multi ? `${row.rootName}/${row.relPath}` : row.relPath;
        return { path: shown, startLine: row.startLine, endLine: row.endLine, citation: citationOf(shown, row.startLine, row.endLine), symbol: row.symbol, kind: row.kind, snippet: bestSnippet(row.text, row.startLine, bare, SNIPPET_LINES).text };
      });
      const word = new RegExp(`(?<![\\p{L}\\p{N}_$])${bare.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_$])`, 'u');
      const defined = new Set(ids);
      const outcome = await ws.search(bare, { limit: FILTER_DEPTH, retrievers: ['lexical'] });
      const usages = outcome.hits.filter((h) => !defined.has(h.chunkId) && word.test(h.text)).slice(0, limit).map((h) => {
        const r = hitResult(h, bare);
        return { path: r.path, startLine: r.startLine, endLine: r.endLine, citation: r.citation, symbol: r.symbol, snippet: r.snippet };
      });
      const index = freshness(live.state());
      const defText = definitions.length === 0 ? `No definition of ${name} is in the index (it may come from a dependency, or be defined in too many places to tell).` : definitions.map((d) => `- ${d.citation} — ${d.kind} ${d.symbol}\n${fence(d.path, d.snippet)}`).join('\n');
      const useText = usages.length === 0 ? 'No usages found.' : usages.map((u) => `- ${u.citation}${u.symbol === '' ? '' : ` (in ${u.symbol})`}\n${fence(u.path, u.snippet)}`).join('\n');
      return {
        content: [{ type: 'text', text: `Definitions of ${name}:\n${defText}\n\nUsages:\n${useText}\n\n${index.note}` }],
        structuredContent: { name, definitions, usages, index },
      };
    },
  );

  server.registerTool(
    'read_range',
    {
      title: 'Read lines of an indexed file',
      description: `The current text of lines startLine..endLine of a file the index holds (secrets redacted), with line numbers and the citation to quote. At most ${MAX_READ_LINES} lines per call.`,
      inputSchema: {
        path: z.string().trim().min(1, 'path must name a file, as search_code returns it').describe('File path as search_code returns it'),
        startLine: z.number().int().min(1, 'startLine counts from 1').describe('First line (1-based)'),
        endLine: z.number().int().min(1).optional().describe(`Last line (default startLine + ${DEFAULT_READ_LINES - 1})`),
      },
      outputSchema: { ...range, text: z.string(), totalLines: z.number().int(), redactedLines: z.number().int() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ path: given, startLine, endLine }) => {
      const last = endLine ?? startLine + DEFAULT_READ_LINES - 1;
      if (last < startLine) return fail(`endLine (${last}) is before startLine (${startLine}): give endLine ≥ startLine.`);
      if (last - startLine + 1 > MAX_READ_LINES) return fail(`That is ${last - startLine + 1} lines; read at most ${MAX_READ_LINES} per call (several calls for more).`);
      const resolved = resolveFile(ws, given);
      if ('error' in resolved) return fail(resolved.error);
      const { file } = resolved;
      let text: string;
      try {
        text = await readFile(absoluteFile(file.rootPath, file.relPath), 'utf8');
      } catch (error) {
        return fail(`${given} could not be read (${error instanceof Error ? error.message : String(error)}); it may have been deleted since it was indexed.`);
      }
      const redacted = await redactSecrets(text, file.relPath);
      const lines = redacted.text.split('\n');
      if (startLine > lines.length) return fail(`${given} has ${lines.length} lines; startLine ${startLine} is past its end.`);
      const end = Math.min(last, lines.length);
      const shown = ws.config.roots.length > 1 ? `${file.rootName}/${file.relPath}` : file.relPath;
      const slice = lines.slice(startLine - 1, end);
      const width = String(end).length;
      const numbered = slice.map((l, i) => `${String(startLine + i).padStart(width)}| ${l}`).join('\n');
      const redactedLines = redacted.redactions.filter((r) => r.line >= startLine && r.line <= end).length;
      const citation = citationOf(shown, startLine, end);
      const note = redactedLines > 0 ? `\n(${redactedLines} secret values are redacted.)` : '';
      return {
        content: [{ type: 'text', text: `${citation} (of ${lines.length} lines)\n${numbered}${note}` }],
        structuredContent: { path: shown, startLine, endLine: end, citation, text: slice.join('\n'), totalLines: lines.length, redactedLines },
      };
    },
  );

  server.registerTool(
    'index_status',
    {
      title: 'Index status',
      description: 'What the index holds: folders, files indexed and skipped (by reason), secrets redacted, the embedding model, and whether it is still being built or up to date.',
      inputSchema: {},
      outputSchema: {
        roots: z.array(z.object({ name: z.string(), path: z.string(), files: z.number().int() })),
        filesIndexed: z.number().int(),
        filesSkipped: z.number().int(),
        skippedByReason: z.record(z.number().int()),
        filesWithRedactions: z.number().int(),
        chunks: z.number().int(),
        vectors: z.number().int(),
        model: z.string().nullable(),
        lastIndexedAt: z.string().nullable(),
        index: z.object(indexShape),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () => {
      const s = ws.status();
      const index = freshness(live.state());
      const lastIndexedAt = s.lastIndexedAt === null ? null : new Date(s.lastIndexedAt).toISOString();
      const reasons = Object.entries(s.skippedByReason).map(([reason, n]) => `${reason} ${n}`).join(', ');
      const text = [
        `${s.filesIndexed} files indexed in ${s.roots.map((r) => r.path).join(', ')}; ${s.filesSkipped} skipped${reasons === '' ? '' : ` (${reasons})`}.`,
        `${s.chunks} ranges, ${s.vectors} with vectors (model ${s.model ?? 'none'}); secrets redacted in ${s.redacted.length} files.`,
        `Last indexed: ${lastIndexedAt ?? 'never'}. ${index.note}`,
      ].join('\n');
      return {
        content: [{ type: 'text', text }],
        structuredContent: { roots: s.roots.map((r) => ({ ...r })), filesIndexed: s.filesIndexed, filesSkipped: s.filesSkipped, skippedByReason: { ...s.skippedByReason }, filesWithRedactions: s.redacted.length, chunks: s.chunks, vectors: s.vectors, model: s.model, lastIndexedAt, index },
      };
    },
  );
}
