import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { IndexStateParams, SearchParams, SearchResponse, StatusResponse, SymbolContextParams, SymbolContextResponse } from './types';

/**
 * Sourceline's custom LSP methods, declared once (design rule 1): `sourceline/<verb>`. Client and
 * server import these constants; no method name is written as a string anywhere else.
 */
export const SearchRequest = new RequestType<SearchParams, SearchResponse, void>('sourceline/search');
export const StatusRequest = new RequestType0<StatusResponse, void>('sourceline/status');
/** Where a symbol is defined and used, from the index: what the hover shows. */
export const SymbolContextRequest = new RequestType<SymbolContextParams, SymbolContextResponse, void>('sourceline/symbolContext');
export const ReindexRequest = new RequestType0<null, void>('sourceline/reindex');
export const IndexStateNotification = new NotificationType<IndexStateParams>('sourceline/indexState');

/** Options the client passes in `initialize`; validated by the server (server/settings.ts). */
export interface InitializationOptions {
  /** Where the index lives: the extension's storage folder, never the user's repository. */
  readonly storagePath: string;
  readonly embeddingModel?: string;
  readonly maxFileBytes?: number;
  /** Extra gitignore-style exclude patterns (setting `sourceline.index.exclude`). */
  readonly exclude?: readonly string[];
}
