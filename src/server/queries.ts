import { absoluteFile } from '../engine/paths';
import type { Connection, ResponseError } from 'vscode-languageserver/node';
import type { SearchHit } from '../engine/retrieve/search';
import { narrowToSymbol } from '../engine/retrieve/narrow';
import { bestSnippet } from '../engine/retrieve/snippet';
import type { Workspace } from '../engine/workspace';
import { SearchRequest, StatusRequest, SymbolContextRequest } from '../shared/protocol';
import type { IndexState, LocationWire } from '../shared/types';

export interface QueryContext {
  readonly connection: Connection;
  readonly workspace: () => Workspace | null;
  readonly state: () => IndexState;
  readonly toResponseError: (error: unknown) => ResponseError<void>;
}

/** Where a hit is, on the wire: its display path and the absolute file the client opens. */
function locationOf(h: SearchHit): LocationWire {
  return { path: h.displayPath, file: absoluteFile(h.rootPath, h.relPath), startLine: h.startLine, endLine: h.endLine };
}

/** The read-only requests, served on the server's main thread from the index (a WAL reader). */
export function registerQueries(ctx: QueryContext): void {
  const { connection } = ctx;

  connection.onRequest(SearchRequest, async (params) => {
    const ws = ctx.workspace();
    if (ws === null) return { degraded: 'The index is not open yet.', results: [] };
    try {
      const limit = typeof params.limit === 'number' && Number.isInteger(params.limit) && params.limit > 0 ? Math.min(params.limit, 100) : 10;
      const query = String(params.query);
      const outcome = await ws.search(query, { limit });
      return {
        degraded: outcome.degraded,
        results: outcome.hits.map((h) => ({ ...locationOf(h), symbol: h.symbol, score: h.score, snippet: bestSnippet(h.text, h.startLine, query).text, sources: h.sources })),
      };
    } catch (error) {
      return ctx.toResponseError(error);
    }
  });

  /** Definitions (chunks named by the symbol) and usages elsewhere (chunks that mention it), 3 each. */
  connection.onRequest(SymbolContextRequest, async (params) => {
    const ws = ctx.workspace();
    const symbol = String(params.symbol);
    if (ws === null || !/^[A-Za-z_$][\w$]{2,}$/.test(symbol)) return { definitions: [], usages: [] };
    try {
      const { hits } = await ws.search(symbol, { limit: 20, retrievers: ['lexical'] });
      const defines = (h: SearchHit): boolean => h.symbol.split(/[,.]\s*|\s+/).includes(symbol);
      const mentions = new RegExp(`\\b${symbol.replace(/\$/g, '\\$')}\\b`);
      // A merged chunk holds several definitions: link to this symbol's own lines.
      const definitionOf = (h: SearchHit): LocationWire => ({ ...locationOf(h), ...narrowToSymbol(h.text, h.startLine, h.symbol.split(/,\s*/), symbol) });
      return {
        definitions: hits.filter(defines).slice(0, 3).map(definitionOf),
        usages: hits.filter((h) => !defines(h) && mentions.test(h.text) && locationOf(h).file !== params.file).slice(0, 3).map(locationOf),
      };
    } catch (error) {
      return ctx.toResponseError(error);
    }
  });

  connection.onRequest(StatusRequest, () => {
    const ws = ctx.workspace();
    const state = ctx.state();
    if (ws === null) return { state, model: null, filesIndexed: 0, filesSkipped: 0, chunks: 0, dbBytes: 0, roots: [], skipped: [], redacted: [] };
    const s = ws.status();
    return { state, model: s.model, filesIndexed: s.filesIndexed, filesSkipped: s.filesSkipped, chunks: s.chunks, dbBytes: s.dbBytes, roots: s.roots, skipped: s.skipped, redacted: s.redacted };
  });
}
