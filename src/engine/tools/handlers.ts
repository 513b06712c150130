import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { absoluteFile, relativeInside } from '../paths';
import { redactSecrets } from '../redact/redact';
import { definingChunks } from '../retrieve/definitions';
import type { SearchHit } from '../retrieve/search';
import { bestSnippet } from '../retrieve/snippet';
import { knownFiles, type KnownFile } from '../store/fileLookup';
import { displayPath } from '../store/indexStore';
import { readChunks } from '../store/readChunks';
import { languageNameOf } from '../walk/fileKinds';
import type { Workspace } from '../workspace';
import { globMatcher } from './glob';

/** Whether the index is complete: results say so, since searches answer from what is indexed meanwhile. */
export interface ToolIndexState {
  readonly phase: 'indexing' | 'ready' | 'failed';
  readonly note: string;
}

export interface ToolContext {
  readonly ws: Workspace;
  readonly index: () => ToolIndexState;
}

/** Text for a model, and the same facts structured (null for an error). */
export interface ToolOutput {
  readonly isError: boolean;
  readonly text: string;
  readonly structured: Record<string, unknown> | null;
}

/** Most lines one read returns: enough for a long function, little enough for a model's context. */
export const MAX_READ_LINES = 400;
export const DEFAULT_READ_LINES = 120;

const SNIPPET_LINES = 8;
/** Filters are applied to a deeper list, so a narrow filter still fills the limit. */
const FILTER_DEPTH = 200;

function citationOf(displayPath: string, startLine: number, endLine: number): string {
  return `${displayPath}:${startLine}-${endLine}`;
}

function fail(message: string): ToolOutput {
  return { isError: true, text: message, structured: null };
}

function fence(relPath: string, text: string): string {
  const ext = path.extname(relPath).slice(1);
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${ext}\n${text}\n${ticks}`;
}

interface RangeResult {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly citation: string;
  readonly symbol: string;
  readonly kind: string;
  readonly score: number;
  readonly sources: string[];
  readonly snippet: string;
  /** The absolute file, for a client that opens it. */
  readonly file: string;
}

function hitResult(h: SearchHit, query: string): RangeResult {
  const snippet = bestSnippet(h.text, h.startLine, query, SNIPPET_LINES);
  return {
    path: h.displayPath, startLine: h.startLine, endLine: h.endLine, citation: citationOf(h.displayPath, h.startLine, h.endLine),
    symbol: h.symbol, kind: h.kind, score: Number(h.score.toFixed(6)), sources: [...h.sources], snippet: snippet.text, file: absoluteFile(h.rootPath, h.relPath),
  };
}

function listText(title: string, results: readonly RangeResult[], note: string): string {
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

/** search_code: ranked ranges for a question or a name, optionally narrowed by a path glob and a language. */
export async function codeSearch(ctx: ToolContext, { query, limit, path: glob, language }: { query: string; limit: number; path?: string | undefined; language?: string | undefined }): Promise<ToolOutput> {
  const matches = glob === undefined ? null : globMatcher(glob);
  const lang = language?.trim().toLowerCase();
  const filtered = matches !== null || lang !== undefined;
  const outcome = await ctx.ws.search(query, { limit: filtered ? FILTER_DEPTH : limit });
  const hits = outcome.hits
    .filter((h) => matches === null || matches(h.relPath) || matches(h.displayPath))
    .filter((h) => lang === undefined || languageNameOf(path.posix.basename(h.relPath)) === lang || path.extname(h.relPath).slice(1).toLowerCase() === lang)
    .slice(0, limit);
  const results = hits.map((h) => hitResult(h, query));
  const index = ctx.index();
  const note = [index.note, outcome.degraded === null ? '' : `Vector search is unavailable (${outcome.degraded}): lexical results only.`].filter((n) => n !== '').join(' ');
  const title = results.length === 0 ? `No ranges found for "${query}"${filtered ? ' with these filters' : ''}. Try other words or a symbol name.` : `${results.length} ranges for "${query}":`;
  return { isError: false, text: listText(title, results, note), structured: { query, results, index: { ...index, note } } };
}

/** find_symbol: the definitions of a name (the definitions table), then the chunks that use it. */
export async function symbolLookup(ctx: ToolContext, { name, limit }: { name: string; limit: number }): Promise<ToolOutput> {
  const bare = name.split(/[.:#]+/).pop() ?? name;
  const ids = [...definingChunks(ctx.ws.indexStore.db, [...new Set([name, bare])]).keys()];
  const multi = ctx.ws.config.roots.length > 1;
  const definitions = readChunks(ctx.ws.indexStore.db, ids).map((row) => {
    const shown = displayPath(multi, row.rootName, row.relPath);
    return { path: shown, startLine: row.startLine, endLine: row.endLine, citation: citationOf(shown, row.startLine, row.endLine), symbol: row.symbol, kind: row.kind, snippet: bestSnippet(row.text, row.startLine, bare, SNIPPET_LINES).text, file: absoluteFile(row.rootPath, row.relPath) };
  });
  const word = new RegExp(`(?<![\\p{L}\\p{N}_$])${bare.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_$])`, 'u');
  const defined = new Set(ids);
  const outcome = await ctx.ws.search(bare, { limit: FILTER_DEPTH, retrievers: ['lexical'] });
  const usages = outcome.hits.filter((h) => !defined.has(h.chunkId) && word.test(h.text)).slice(0, limit).map((h) => {
    const r = hitResult(h, bare);
    return { path: r.path, startLine: r.startLine, endLine: r.endLine, citation: r.citation, symbol: r.symbol, snippet: r.snippet, file: r.file };
  });
  const index = ctx.index();
  const defText = definitions.length === 0 ? `No definition of ${name} is in the index (it may come from a dependency, or be defined in too many places to tell).` : definitions.map((d) => `- ${d.citation} — ${d.kind} ${d.symbol}\n${fence(d.path, d.snippet)}`).join('\n');
  const useText = usages.length === 0 ? 'No usages found.' : usages.map((u) => `- ${u.citation}${u.symbol === '' ? '' : ` (in ${u.symbol})`}\n${fence(u.path, u.snippet)}`).join('\n');
  return {
    isError: false,
    text: `Definitions of ${name}:\n${defText}\n\nUsages:\n${useText}\n\n${index.note}`,
    structured: { name, definitions, usages, index },
  };
}

/** read_range: the current, redacted text of lines of an indexed file, numbered, with the citation. */
export async function readRange(ctx: ToolContext, { path: given, startLine, endLine }: { path: string; startLine: number; endLine?: number | undefined }): Promise<ToolOutput> {
  const last = endLine ?? startLine + DEFAULT_READ_LINES - 1;
  if (last < startLine) return fail(`endLine (${last}) is before startLine (${startLine}): give endLine ≥ startLine.`);
  if (last - startLine + 1 > MAX_READ_LINES) return fail(`That is ${last - startLine + 1} lines; read at most ${MAX_READ_LINES} per call (several calls for more).`);
  const resolved = resolveFile(ctx.ws, given);
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
  const shown = displayPath(ctx.ws.config.roots.length > 1, file.rootName, file.relPath);
  const slice = lines.slice(startLine - 1, end);
  const width = String(end).length;
  const numbered = slice.map((l, i) => `${String(startLine + i).padStart(width)}| ${l}`).join('\n');
  const redactedLines = redacted.redactions.filter((r) => r.line >= startLine && r.line <= end).length;
  const citation = citationOf(shown, startLine, end);
  const note = redactedLines > 0 ? `\n(${redactedLines} secret values are redacted.)` : '';
  return {
    isError: false,
    text: `${citation} (of ${lines.length} lines)\n${numbered}${note}`,
    structured: { path: shown, startLine, endLine: end, citation, text: slice.join('\n'), totalLines: lines.length, redactedLines, file: absoluteFile(file.rootPath, file.relPath) },
  };
}

/** index_status: what the index holds and whether it is complete. */
export function indexStatus(ctx: ToolContext): ToolOutput {
  const s = ctx.ws.status();
  const index = ctx.index();
  const lastIndexedAt = s.lastIndexedAt === null ? null : new Date(s.lastIndexedAt).toISOString();
  const reasons = Object.entries(s.skippedByReason).map(([reason, n]) => `${reason} ${n}`).join(', ');
  const text = [
    `${s.filesIndexed} files indexed in ${s.roots.map((r) => r.path).join(', ')}; ${s.filesSkipped} skipped${reasons === '' ? '' : ` (${reasons})`}.`,
    `${s.chunks} ranges, ${s.vectors} with vectors (model ${s.model ?? 'none'}); secrets redacted in ${s.redacted.length} files.`,
    `Last indexed: ${lastIndexedAt ?? 'never'}. ${index.note}`,
  ].join('\n');
  return {
    isError: false,
    text,
    structured: { roots: s.roots.map((r) => ({ ...r })), filesIndexed: s.filesIndexed, filesSkipped: s.filesSkipped, skippedByReason: { ...s.skippedByReason }, filesWithRedactions: s.redacted.length, chunks: s.chunks, vectors: s.vectors, model: s.model, lastIndexedAt, index },
  };
}
