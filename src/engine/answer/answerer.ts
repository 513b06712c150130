import type { SearchHit } from '../retrieve/search';
import type { Workspace } from '../workspace';
import { checkCitation, groundedness, parseCitations } from './citations';
import { buildMessages } from './prompt';
import { docSummary, sourcesOnlyAnswer } from './providers/sourcesOnly';
import { chooseRole, parseOverride, type Router } from './router';
import { selectSources } from './sources';
import type { Answer, ChatProvider, NumberedSource, PromptRecord, Route } from './types';

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
}

const STYLE_EXAMPLES = 3;

/** Documented chunks to imitate when no fine-tuned model knows the house style. */
async function styleExamples(ws: Workspace, question: string, have: readonly SearchHit[]): Promise<SearchHit[]> {
  const seen = new Set(have.map((h) => h.chunkId));
  const { hits } = await ws.search(question, { limit: 30 });
  return hits.filter((h) => !seen.has(h.chunkId) && docSummary(h.text) !== null).slice(0, STYLE_EXAMPLES);
}

function verify(question: string, text: string, route: Route, sources: readonly NumberedSource[], prompt: PromptRecord | null, fallback: string | null): Answer {
  const citations = parseCitations(text, sources).map(checkCitation);
  const g = groundedness(text, sources, citations);
  return { question, text, route, citations, sources, groundedness: g.score, sentences: g.sentences, prompt, fallback };
}

/**
 * Answers a question from the codebase: route (know/act), retrieve, build the grounded prompt,
 * run the chosen model (or none), then check every citation against the files as they are now.
 * A failing model never loses the answer: it falls back to the sources-only answer with the reason.
 */
export async function answerQuestion(ws: Workspace, request: AnswerRequest): Promise<Answer> {
  const { question, override } = parseOverride(request.question);
  const decision = await request.router.decide(question, override);
  const route = chooseRole(decision, { knowledge: request.knowledge?.model ?? null, houseStyle: request.houseStyle?.model ?? null });
  const { hits } = await ws.search(question, { limit: request.limit ?? 8, ...(request.signal === undefined ? {} : { signal: request.signal }) });
  const useExamples = decision.intent === 'act' && route.role !== 'houseStyle';
  const examples = useExamples ? await styleExamples(ws, question, hits) : [];
  const { sources, dropped } = selectSources([...hits, ...examples], request.budgetTokens ?? 6000);
  const messages = buildMessages(question, sources, decision.intent, examples.length > 0);
  const prompt: PromptRecord = { messages, sources, droppedSources: dropped };
  const provider = route.role === 'houseStyle' ? request.houseStyle : route.role === 'knowledge' ? request.knowledge : null;

  if (provider === null) {
    const intro = decision.intent === 'act'
      ? 'Sources only: no language model is configured to write this, so here is the code it concerns and examples of the house style.'
      : 'Sources only: no language model is configured.';
    return verify(question, sourcesOnlyAnswer(question, sources, intro), route, sources, prompt, null);
  }

  let streamed = '';
  const result = await provider.chat({
    messages,
    ...(request.signal === undefined ? {} : { signal: request.signal }),
    onDelta: (piece) => {
      streamed += piece;
      request.onDelta?.(piece);
    },
  });
  if (result.status === 'ok') return verify(question, result.text, { ...route, model: result.model }, sources, prompt, null);
  if (result.status === 'cancelled') {
    const text = streamed === '' ? '(stopped before the model answered)' : `${streamed}\n\n(stopped)`;
    return verify(question, text, route, sources, prompt, 'stopped by the user');
  }
  const fallbackRoute: Route = { role: 'sourcesOnly', intent: route.intent, model: 'sources-only', reason: `${route.reason} The model failed, so the answer fell back to sources only.` };
  const text = sourcesOnlyAnswer(question, sources, `The model could not answer (${result.message}); showing sources only.`);
  return verify(question, text, fallbackRoute, sources, prompt, result.message);
}
