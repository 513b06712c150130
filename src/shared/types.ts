/** Wire types shared by the language server, the extension client and the webview. */

export type IndexState = 'starting' | 'indexing' | 'ready' | 'paused' | 'error';

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
  readonly roots: ReadonlyArray<{ readonly name: string; readonly path: string; readonly files: number }>;
  readonly skipped: ReadonlyArray<{ readonly root: string; readonly path: string; readonly reason: string; readonly detail: string }>;
  /** Files indexed with secret values replaced by markers; `detail` lists lines and rules. */
  readonly redacted: ReadonlyArray<{ readonly root: string; readonly path: string; readonly detail: string }>;
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

/** A message of a chat prompt (what the model is given). */
export interface ChatMessageWire {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export type CitationStatusWire = 'ok' | 'moved' | 'stale' | 'invalid';

export interface CitationWire extends LocationWire {
  /** Source number, or null for a bare `path:line` mention. */
  readonly n: number | null;
  readonly status: CitationStatusWire;
  readonly detail: string;
  readonly movedTo?: { readonly startLine: number; readonly endLine: number };
}

export interface SourceWire extends LocationWire {
  readonly n: number;
  readonly symbol: string;
  /** Which retrievers found it (lexical, vector): the "why" beside each source. */
  readonly foundBy: readonly string[];
  readonly score: number;
  readonly snippet: string;
}

export interface RouteWire {
  readonly role: 'knowledge' | 'houseStyle' | 'sourcesOnly';
  readonly model: string;
  readonly reason: string;
}

/** An answer as the CLI prints it (`--json`) and the chat panel shows it. */
export interface AnswerReportWire {
  readonly answer: string;
  readonly route: RouteWire;
  readonly citations: readonly CitationWire[];
  readonly sources: readonly SourceWire[];
  readonly groundedness: number;
  /** Claim sentences without a checked citation. */
  readonly unsupported: readonly string[];
  /** Claim sentences, and how many cite a source whose lines exist as quoted (absent in answers saved by 0.1). */
  readonly claims?: { readonly total: number; readonly cited: number };
  /** Why a configured model was not used for this answer (it failed, it was stopped). */
  readonly fallback: string | null;
  /** What the model was given, exactly (absent in the CLI unless asked for). */
  readonly prompt?: readonly ChatMessageWire[];
}

/** Where a drafted doc comment goes in its file: computed by the engine from the code, so the editor needs no language rules. */
export interface DocPlacement {
  /** The comment goes before this 1-based line (the replaced comment's first line when there is one). */
  readonly line: number;
  /** Indentation for every line of the comment. */
  readonly indent: string;
  /** The unit's existing doc comment, replaced by the new one (1-based, inclusive). */
  readonly replaces: { readonly startLine: number; readonly endLine: number } | null;
  /** The text (trimmed) of line `line` when drafted: if the file changed since, the editor finds it again or refuses. */
  readonly anchor: string;
}

/** What an answer is for: a question, or one of the house-style commands (whose result can be applied). */
export type AnswerKind =
  | { readonly type: 'ask' }
  // placement: null where no docstring can go (a one-line Python def); absent in chat history saved by 0.1.0.
  | { readonly type: 'docstring'; readonly file: string; readonly line: number; readonly placement?: DocPlacement | null; readonly symbol?: string }
  | { readonly type: 'commitMessage'; readonly root: string };

export interface AnswerWire extends AnswerReportWire {
  /** The client's id for this answer: streamed pieces carry it. */
  readonly id: string;
  readonly question: string;
  readonly kind: AnswerKind;
}

/** A range of code the question is about (Explain Selection): given to the model as source [1]. */
export interface FocusWire {
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
}

export interface AskParams {
  readonly id: string;
  readonly question: string;
  readonly focus?: FocusWire;
  /** The conversation so far in the chat panel, oldest first (the server takes the last few). */
  readonly history?: readonly EarlierTurnWire[];
  /** Answer with this editor chat model (vscode.lm id: the model picked in Copilot Chat for `@sourceline`) instead of the configured one. */
  readonly editorModel?: { readonly id: string; readonly label: string };
}

export interface EarlierTurnWire {
  readonly question: string;
  readonly answer: string;
  /** Display paths the answer cited. */
  readonly sources: readonly string[];
}

export interface DraftDocstringParams {
  readonly id: string;
  readonly file: string;
  /** 1-based line of the cursor. */
  readonly line: number;
  /** The editor's text, saved or not. */
  readonly text: string;
}

export interface DraftCommitMessageParams {
  readonly id: string;
  /** The repository root (a workspace folder). */
  readonly root: string;
}

export interface AnswerDeltaParams {
  readonly id: string;
  readonly text: string;
}

/** The sources of an answer being written, sent once retrieval is done and before the model's first piece. */
export interface AnswerSourcesParams {
  readonly id: string;
  readonly sources: readonly SourceWire[];
}

/** An OpenAI-compatible endpoint (Ollama, llama.cpp, vLLM, LM Studio, OpenAI, Azure). */
export interface EndpointWire {
  readonly type: 'openai';
  readonly baseUrl: string;
  readonly model: string;
  /** Longest time one answer may take, retries included (`sourceline.models.answerTimeout`). */
  readonly deadlineMs: number;
  // No API key here: keys reach the server through its environment (API_KEY_ENV), never through a
  // message, which a protocol trace would log.
}

/** A chat model of VS Code's Language Model API, run by the client on the server's behalf. */
export interface EditorModelWire {
  readonly type: 'vscodeLm';
  /** `vendor/family`, as the user sees it. */
  readonly model: string;
}

export interface ModelsParams {
  readonly knowledge: EndpointWire | EditorModelWire | null;
  readonly houseStyle: EndpointWire | null;
  /** Why models are withheld (an untrusted workspace): answers are sources only and say this. */
  readonly withheld: string | null;
}

/** Server → client: run a chat request on the editor's language model, streaming pieces back. */
export interface EditorChatParams {
  readonly streamId: string;
  readonly messages: readonly ChatMessageWire[];
  /** Which of the editor's models (vscode.lm id); absent: the first it offers. */
  readonly modelId?: string;
}

export type EditorChatResult =
  | { readonly status: 'ok'; readonly text: string; readonly model: string }
  | { readonly status: 'error'; readonly message: string }
  | { readonly status: 'cancelled' };

export interface IndexControlParams {
  readonly action: 'pause' | 'resume' | 'clear';
}

export interface ReincludeParams {
  /** Root folder (absolute) and the file's path relative to it, as the status lists it. */
  readonly root: string;
  readonly path: string;
}

/** A call of one of the agent tools (src/engine/tools/agentTools.ts) by a VS Code language-model tool. */
export interface AgentToolParams {
  readonly name: string;
  /** The tool's input as the caller gave it: validated by the server against the tool's schema. */
  readonly input: unknown;
}

export interface AgentToolResultWire {
  readonly isError: boolean;
  /** What the calling model reads. */
  readonly text: string;
  /** The same facts with exact paths and line ranges (null for an error). */
  readonly structured: Record<string, unknown> | null;
}
