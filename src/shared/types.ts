/** Wire types shared by the language server, the extension client and the webview. */

export type IndexState = 'starting' | 'indexing' | 'ready' | 'error';

export interface IndexStateParams {
  readonly state: IndexState;
  readonly filesDone: number;
  readonly filesTotal: number;
  /** What went wrong (state `error`) or a notice (an index moved aside, a model degraded). */
  readonly message: string | null;
}

export interface SearchParams {
  readonly query: string;
  readonly limit?: number;
}

/** A range of a file: display path (root-prefixed when the index has several roots), and the absolute file to open. */
export interface LocationWire {
  readonly path: string;
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
}

export interface SearchResultWire extends LocationWire {
  readonly symbol: string;
  readonly score: number;
  readonly snippet: string;
  readonly sources: readonly string[];
}

export interface SearchResponse {
  readonly results: readonly SearchResultWire[];
  /** Set when the vector side could not run: results are lexical only. */
  readonly degraded: string | null;
}

export interface StatusResponse {
  readonly state: IndexState;
  readonly model: string | null;
  readonly filesIndexed: number;
  readonly filesSkipped: number;
  readonly chunks: number;
  readonly dbBytes: number;
  readonly skipped: ReadonlyArray<{ readonly root: string; readonly path: string; readonly reason: string; readonly detail: string }>;
}

export interface SymbolContextParams {
  readonly symbol: string;
  /** Absolute path of the file the cursor is in: its own hits are not "usages elsewhere". */
  readonly file: string;
}


export interface SymbolContextResponse {
  readonly definitions: readonly LocationWire[];
  readonly usages: readonly LocationWire[];
}
