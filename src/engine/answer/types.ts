/** Types of the answer stage: route → retrieve → prompt → provider → verify (design.md §1). */

export type RouteRole = 'knowledge' | 'houseStyle' | 'sourcesOnly';
export type Intent = 'know' | 'act';

export interface Route {
  readonly role: RouteRole;
  readonly intent: Intent;
  /** Model id that answered, or 'sources-only'. */
  readonly model: string;
  /** Why this route, in words a user reads ("asks how something works → knowledge model"). */
  readonly reason: string;
}

/** One retrieved range given to the model (and shown to the user) as source [n]. */
export interface NumberedSource {
  readonly n: number;
  readonly path: string;
  readonly rootPath: string;
  readonly relPath: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly symbol: string;
  readonly text: string;
  /** Which retrievers found it: the "why" shown beside each source. */
  readonly foundBy: readonly string[];
  readonly score: number;
}

export type CitationStatus = 'ok' | 'moved' | 'stale' | 'invalid';

export interface Citation {
  /** Source number, or null for a bare `path:line` mention. */
  readonly n: number | null;
  readonly path: string;
  /** The absolute file, for opening it ('' when the citation names no known source). */
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly status: CitationStatus;
  /** For `moved`: where the cited text is now. */
  readonly movedTo?: { readonly startLine: number; readonly endLine: number };
  readonly detail: string;
}

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** What the model was given, exactly: shown under "what the model was given". */
export interface PromptRecord {
  readonly messages: readonly ChatMessage[];
  readonly sources: readonly NumberedSource[];
  readonly droppedSources: number;
}

export interface SentenceSupport {
  readonly sentence: string;
  readonly supported: boolean;
}

export interface Answer {
  readonly question: string;
  readonly text: string;
  readonly route: Route;
  readonly citations: readonly Citation[];
  readonly sources: readonly NumberedSource[];
  /** Share of the answer's claim sentences that cite a source whose citation checks out. */
  readonly groundedness: number;
  readonly sentences: readonly SentenceSupport[];
  readonly prompt: PromptRecord | null;
  /** Set when a configured model failed and the answer fell back to sources only. */
  readonly fallback: string | null;
}

/** Streaming events from a provider; expected failures are values (design rule 6). */
export type ProviderResult =
  | { readonly status: 'ok'; readonly text: string; readonly model: string }
  | { readonly status: 'error'; readonly message: string; readonly retryable: boolean }
  | { readonly status: 'cancelled' };

export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  readonly signal?: AbortSignal;
  /** Called with each streamed piece of text as it arrives. */
  readonly onDelta?: (text: string) => void;
}

export interface ChatProvider {
  /** The model id as the endpoint knows it (`llama3.1`, `ft:gpt-4o-mini:acme::abc`). */
  readonly model: string;
  readonly label: string;
  chat(request: ChatRequest): Promise<ProviderResult>;
}
