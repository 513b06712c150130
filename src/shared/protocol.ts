import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type {
  AgentToolParams, AgentToolResultWire, AnswerDeltaParams, AnswerSourcesParams, AnswerWire, AskParams, DraftCommitMessageParams, DraftDocstringParams, EditorChatParams, EditorChatResult,
  IndexControlParams, IndexStateParams, ModelsParams, ReincludeParams, SearchParams, SearchResponse, StatusResponse, SymbolContextParams, SymbolContextResponse,
} from './types';

/**
 * Sourceline's custom LSP methods, declared once (design rule 1): `sourceline/<verb>`. Client and
 * server import these constants; no method name is written as a string anywhere else.
 */
export const SearchRequest = new RequestType<SearchParams, SearchResponse, void>('sourceline/search');
/** One of the agent tools (search, symbol, read, status), for the editor's language-model tools. */
export const AgentToolRequest = new RequestType<AgentToolParams, AgentToolResultWire, void>('sourceline/agentTool');
export const StatusRequest = new RequestType0<StatusResponse, void>('sourceline/status');
/** Where a symbol is defined and used, from the index: what the hover shows. */
export const SymbolContextRequest = new RequestType<SymbolContextParams, SymbolContextResponse, void>('sourceline/symbolContext');
export const ReindexRequest = new RequestType0<null, void>('sourceline/reindex');
/** Pause or resume indexing, or clear the index (it is rebuilt from scratch). */
export const IndexControlRequest = new RequestType<IndexControlParams, null, void>('sourceline/indexControl');
/** Index a skipped file from now on: adds `!path` to the root's `.sourcelineignore`. */
export const ReincludeRequest = new RequestType<ReincludeParams, string, void>('sourceline/reinclude');
export const IndexStateNotification = new NotificationType<IndexStateParams>('sourceline/indexState');

/** Answers: streamed as `sourceline/answerDelta` pieces (same id), resolved with the checked answer. Cancel = stop. */
export const AskRequest = new RequestType<AskParams, AnswerWire, void>('sourceline/ask');
export const DraftDocstringRequest = new RequestType<DraftDocstringParams, AnswerWire, void>('sourceline/draftDocstring');
export const DraftCommitMessageRequest = new RequestType<DraftCommitMessageParams, AnswerWire, void>('sourceline/draftCommitMessage');
export const AnswerDeltaNotification = new NotificationType<AnswerDeltaParams>('sourceline/answerDelta');
export const AnswerSourcesNotification = new NotificationType<AnswerSourcesParams>('sourceline/answerSources');

/** Client → server: the models to answer with (settings + SecretStorage keys), sent at start and on change. */
export const ModelsNotification = new NotificationType<ModelsParams>('sourceline/models');
/** Server → client: run a prompt on the editor's language model (vscode.lm); pieces come back as `editorChatDelta`. */
export const EditorChatRequest = new RequestType<EditorChatParams, EditorChatResult, void>('sourceline/editorChat');
export const EditorChatDeltaNotification = new NotificationType<AnswerDeltaParams>('sourceline/editorChatDelta');

/** Options the client passes in `initialize`; validated by the server (server/settings.ts). */
export interface InitializationOptions {
  /** Where the index lives: the extension's storage folder, never the user's repository. */
  readonly storagePath: string;
  readonly embeddingModel?: string;
  readonly maxFileBytes?: number;
  /** Extra gitignore-style exclude patterns (setting `sourceline.index.exclude`). */
  readonly exclude?: readonly string[];
  /** Patterns indexed even when ignored (setting `sourceline.index.include`). */
  readonly include?: readonly string[];
}
