import { readFileSync } from 'node:fs';
import type { SearchHit } from '../retrieve/search';
import type { Workspace } from '../workspace';
import { cachedReader, checkCitation, groundedness, parseCitations } from './citations';
import { buildMessages } from './prompt';
import { redactSecrets } from '../redact/redact';
import { sourcesOnlyAnswer } from './providers/sourcesOnly';
import { docSummary } from '../text/docComments';
import { chooseRole, parseOverride, type Router, type RoutingDecision } from './router';
import { estimateTokens, selectSources } from './sources';
import { locate, pointedSource } from './locate';
import type { Answer, ChatProvider, NumberedSource, PromptRecord, Route } from './types';
import { historyMessages, isFollowUp, retrievalQuery, rewriteFollowUp, type EarlierTurn } from './conversation';

export interface AnswerRequest {
  readonly question: string;
  readonly knowledge: ChatProvider | null;
  readonly houseStyle: ChatProvider | null;
  readonly router: Router;
  /** Hits retrieved for the answer (default 8). */
  readonly limit?: number;
  /** Token budget for the sources in the prompt (default 6,000). */
  readonly budgetTokens?: number;
  readonly signal?: AbortSignal;
  readonly onDelta?: (text: string) => void;
  /** The sources, once retrieved and before the model is asked: the panel shows them (and their citations as chips) while the answer streams. */
  readonly onSources?: (sources: readonly NumberedSource[], question: string) => void;
  /** Code the user pointed at (Explain Selection): source [1], ahead of what retrieval finds. */
  readonly focus?: { readonly absPath: string; readonly startLine: number; readonly endLine: number };
  /** Why no model is given even if one is configured (an untrusted workspace): said in the sources-only answer. */
  readonly noModelNote?: string;
  /** The conversation so far, oldest first: follow-ups are searched with it, and the model sees it. */
  readonly history?: readonly EarlierTurn[];
}

/** Tokens of the prompt the earlier turns may take. */
const HISTORY_BUDGET_TOKENS = 1500;

const STYLE_EXAMPLES = 3;
/** The most of a selection given as source [1]: a huge selection would crowd out everything else. */
const FOCUS_MAX_LINES = 200;

/** The pointed-at lines as source [1], read from the file as it is now, with its secrets redacted as indexing does. */
async function focusSource(ws: Workspace, focus: NonNullable<AnswerRequest['focus']>): Promise<NumberedSource> {
  const where = locate(ws, focus.absPath);
  const { text: clean } = await redactSecrets(readFileSync(focus.absPath, 'utf8').replace(/\r\n?/g, '\n'), where.relPath);
  const lines = clean.split('\n');
  const startLine = Math.max(1, Math.min(focus.startLine, lines.length));
  const endLine = Math.max(startLine, Math.min(focus.endLine, lines.length, startLine + FOCUS_MAX_LINES - 1));
  const text = lines.slice(startLine - 1, endLine).join('\n');
  return { ...pointedSource(1, where, { startLine, endLine, symbol: '', text }), foundBy: ['selection'] };
}

/** Documented chunks to imitate when no fine-tuned model knows the house style. */
async function styleExamples(ws: Workspace, question: string, have: readonly SearchHit[]): Promise<SearchHit[]> {
  const seen = new Set(have.map((h) => h.chunkId));
  const { hits } = await ws.search(question, { limit: 30 });
  return hits.filter((h) => !seen.has(h.chunkId) && docSummary(h.text) !== null).slice(0, STYLE_EXAMPLES);
}

function verify(question: string, text: string, route: Route, sources: readonly NumberedSource[], prompt: PromptRecord | null, fallback: string | null): Answer {
  const read = cachedReader();
  const citations = parseCitations(text, sources).map((ref) => checkCitation(ref, read));
  const g = groundedness(text, sources, citations);
  return { question, text, route, citations, sources, groundedness: g.score, sentences: g.sentences, prompt, fallback };
}

export interface Completion {
  readonly question: string;
  readonly decision: RoutingDecision;
  readonly sources: readonly NumberedSource[];
  readonly prompt: PromptRecord;
  readonly knowledge: ChatProvider | null;
  readonly houseStyle: ChatProvider | null;
  /** The answer when no model runs (none configured, or it failed: then `reason` says why). */
  readonly sourcesOnly: (reason: string | null) => string;
  readonly signal?: AbortSignal;
  readonly onDelta?: (text: string) => void;
  readonly onSources?: (sources: readonly NumberedSource[], question: string) => void;
  /** Said after the route's reason: what was searched for, when it was not the question itself. */
  readonly searchNote?: string;
}

/**
 * Runs the routed model on a prepared prompt, or none, then checks every citation against the files
 * as they are now. A failing model never loses the answer: it falls back to sources only, saying why.
 */
export async function complete(c: Completion): Promise<Answer> {
  const chosen = chooseRole(c.decision, { knowledge: c.knowledge?.model ?? null, houseStyle: c.houseStyle?.model ?? null });
  const route = c.searchNote === undefined ? chosen : { ...chosen, reason: `${chosen.reason} ${c.searchNote}` };
  const provider = route.role === 'houseStyle' ? c.houseStyle : route.role === 'knowledge' ? c.knowledge : null;
  if (provider === null) return verify(c.question, c.sourcesOnly(null), route, c.sources, c.prompt, null);
  c.onSources?.(c.sources, c.question);
  let streamed = '';
  const result = await provider.chat({
    messages: c.prompt.messages,
    ...(c.signal === undefined ? {} : { signal: c.signal }),
    onDelta: (piece) => {
      streamed += piece;
      c.onDelta?.(piece);
    },
  });
  if (result.status === 'ok') return verify(c.question, result.text, { ...route, model: result.model }, c.sources, c.prompt, null);
  if (result.status === 'cancelled') {
    const text = streamed === '' ? '(stopped before the model answered)' : `${streamed}\n\n(stopped)`;
    return verify(c.question, text, route, c.sources, c.prompt, 'stopped by the user');
  }
  const fallbackRoute: Route = { role: 'sourcesOnly', intent: route.intent, model: 'sources-only', reason: `${route.reason} The model failed, so the answer fell back to sources only.` };
  return verify(c.question, c.sourcesOnly(`The model could not answer (${result.message}); showing sources only.`), fallbackRoute, c.sources, c.prompt, result.message);
}

/** Answers a question from the codebase: route (know/act), retrieve, build the grounded prompt, complete. */
export async function answerQuestion(ws: Workspace, request: AnswerRequest): Promise<Answer> {
  const { question, override } = parseOverride(request.question);
  const decision = await request.router.decide(question, override);
  const styleModel = decision.intent === 'act' && request.houseStyle !== null;
  const focus = request.focus === undefined ? null : await focusSource(ws, request.focus);
  // The selected code's identifiers find its definitions and callers; the question alone may not name them.
  // A follow-up is searched with the conversation's topic ("and the 301 case?" alone finds nothing).
  const history = request.history ?? [];
  // With a model, a follow-up is rewritten from the conversation; without one (or if it fails), its words join the previous turn's topic.
  const rewritten = history.length > 0 && isFollowUp(question) && request.knowledge !== null ? await rewriteFollowUp(request.knowledge, question, history, request.signal) : null;
  const asked = rewritten ?? retrievalQuery(question, history);
  const query = focus === null ? asked : `${asked} ${focus.text.slice(0, 2000)}`;
  const found = await ws.search(query, { limit: request.limit ?? 8, ...(request.signal === undefined ? {} : { signal: request.signal }) });
  const hits = focus === null ? found.hits : found.hits.filter((h) => !(h.rootPath === focus.rootPath && h.relPath === focus.relPath && h.startLine <= focus.endLine && h.endLine >= focus.startLine));
  const examples = decision.intent === 'act' && !styleModel ? await styleExamples(ws, question, hits) : [];
  const selected = selectSources([...hits, ...examples], (request.budgetTokens ?? 6000) - (focus === null ? 0 : estimateTokens(focus.text)), question);
  const sources = focus === null ? selected.sources : [focus, ...selected.sources.map((s) => ({ ...s, n: s.n + 1 }))];
  const dropped = selected.dropped;
  const built = buildMessages(question, sources, decision.intent, examples.length > 0);
  // Earlier turns go between the rules and this request, as the conversation they were.
  const messages = [...built.slice(0, 1), ...historyMessages(history, HISTORY_BUDGET_TOKENS), ...built.slice(1)];
  const why = request.noModelNote ?? 'no language model is configured';
  const intro = decision.intent === 'act'
    ? `Sources only: ${why} to write this, so here is the code it concerns and examples of the house style.`
    : `Sources only: ${why}.`;
  return complete({
    question, decision, sources, prompt: { messages, sources, droppedSources: dropped },
    knowledge: request.knowledge, houseStyle: request.houseStyle,
    sourcesOnly: (reason) => sourcesOnlyAnswer(question, sources, reason ?? intro),
    ...(request.signal === undefined ? {} : { signal: request.signal }),
    ...(request.onDelta === undefined ? {} : { onDelta: request.onDelta }),
    ...(request.onSources === undefined ? {} : { onSources: request.onSources }),
    ...(rewritten === null ? {} : { searchNote: `The follow-up was searched as “${rewritten}”.` }),
  });
}
