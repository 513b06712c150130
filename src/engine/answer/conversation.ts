/**
 * A conversation's earlier turns: given to the model within a token budget, and used to turn a
 * follow-up ("and what about the 301 case?") into a question retrieval can answer on its own.
 */
import { estimateTokens } from './sources';
import type { ChatMessage, ChatProvider } from './types';

export interface EarlierTurn {
  readonly question: string;
  /** The answer's text as the user saw it. */
  readonly answer: string;
  /** Paths the answer cited: where the conversation has been. */
  readonly sources: readonly string[];
}

/** Earlier turns given to the model at most, newest kept first. */
const MAX_TURNS = 4;
/** Of one earlier answer, at most this much reaches the model. */
const MAX_ANSWER_CHARS = 2400;

const FOLLOW_UP_START = /^(and|but|also|so|then|what about|how about|what if|why|why not|and why|same for|ok|okay|or)\b/i;
const REFERS_BACK = /\b(it|its|that|this|these|those|they|them|their|there|the same|the other|above|previous|earlier)\b/i;
const FOLLOW_UP_MAX_WORDS = 10;
/** A question that only points back ("what does it return?") leans on the conversation when it is this short. */
const REFERS_BACK_MAX_WORDS = 6;
/** A name in code: `a.b`, camelCase, snake_case, a call, or anything in backticks. */
const NAMES_CODE = /`[^`]+`|\b[A-Za-z_$][\w$]*\.[A-Za-z_$][\w$]*|\b[a-z]+[A-Z]\w*|\b\w+_\w+|\w\(\)/;

/** An earlier answer without its `[n]` markers: they pointed at that turn's sources, not this one's. */
function withoutMarkers(answer: string): string {
  return answer.replace(/\s?(?:\[\d{1,2}\])+/g, '');
}

/**
 * Whether a question leans on the conversation: short, and starting like a follow-up ("and the 301
 * case?"), or pointing back without naming its subject ("why does it retry?"). A question that names
 * code ("where is res.redirect implemented and what status does it use?") stands alone, "it" or not.
 */
export function isFollowUp(question: string): boolean {
  const q = question.trim();
  const words = q.split(/\s+/).filter((w) => w !== '');
  if (words.length === 0 || words.length > FOLLOW_UP_MAX_WORDS) return false;
  if (FOLLOW_UP_START.test(q)) return true;
  return words.length <= REFERS_BACK_MAX_WORDS && REFERS_BACK.test(q) && !NAMES_CODE.test(q);
}

/**
 * What retrieval searches for: the question itself, or for a follow-up the previous question's
 * topic and the files its answer cited, joined with the new words.
 */
export function retrievalQuery(question: string, history: readonly EarlierTurn[]): string {
  const previous = history[history.length - 1];
  if (previous === undefined || !isFollowUp(question)) return question;
  const files = [...new Set(previous.sources.map((p) => p.slice(p.lastIndexOf('/') + 1)))].slice(0, 3);
  return [question, previous.question, ...files].join(' ');
}

/**
 * The earlier turns as chat messages, oldest first, the newest kept within `budgetTokens`. Answers
 * are cut, and their `[n]` markers dropped: they pointed at that turn's sources, not this one's.
 */
export function historyMessages(history: readonly EarlierTurn[], budgetTokens: number): ChatMessage[] {
  const kept: ChatMessage[][] = [];
  let left = budgetTokens;
  for (const turn of [...history].slice(-MAX_TURNS).reverse()) {
    const answer = withoutMarkers(turn.answer).slice(0, MAX_ANSWER_CHARS);
    const cited = turn.sources.length === 0 ? '' : `\n(Sources then: ${[...new Set(turn.sources)].slice(0, 6).join(', ')})`;
    const pair: ChatMessage[] = [{ role: 'user', content: turn.question }, { role: 'assistant', content: `${answer}${cited}` }];
    const cost = estimateTokens(pair.map((m) => m.content).join('\n'));
    if (cost > left) break;
    left -= cost;
    kept.push(pair);
  }
  return kept.reverse().flat();
}

/** A rewrite is a side step: it may not hold the answer up for long. */
const REWRITE_DEADLINE_MS = 8000;
const REWRITE_MAX_CHARS = 300;

const REWRITE_RULES = [
  'You turn the last message of a conversation about a codebase into one standalone search query.',
  'Name the functions, files, types and behaviour it refers to, taken from the conversation. Keep the new words of the last message.',
  'Reply with the query alone, on one line, at most 25 words: no quotes, no explanation.',
].join(' ');

/**
 * A follow-up rewritten by the model into a question retrieval can answer on its own ("and why is
 * that?" → "why followRedirect caches a 301 as a permanent move"), or null (the model failed, took
 * too long or said nothing usable): then `retrievalQuery`'s joined words are searched instead.
 */
export async function rewriteFollowUp(provider: ChatProvider, question: string, history: readonly EarlierTurn[], signal?: AbortSignal): Promise<string | null> {
  const recent = history.slice(-2).map((t) => {
    const files = t.sources.length === 0 ? '' : ` (files: ${[...new Set(t.sources)].slice(0, 4).join(', ')})`;
    return `User: ${t.question.slice(0, 400)}\nAssistant: ${withoutMarkers(t.answer).slice(0, 600)}${files}`;
  });
  const deadline = AbortSignal.timeout(REWRITE_DEADLINE_MS);
  const result = await provider.chat({
    messages: [
      { role: 'system', content: REWRITE_RULES },
      { role: 'user', content: `${recent.join('\n\n')}\n\nLast message: ${question}` },
    ],
    signal: signal === undefined ? deadline : AbortSignal.any([signal, deadline]),
  });
  if (result.status !== 'ok') return null;
  const line = result.text.trim().split('\n')[0]?.trim().replace(/^(?:query|search)\s*:\s*/i, '').replace(/^["'`]+|["'`]+$/g, '').trim() ?? '';
  return line === '' ? null : line.slice(0, REWRITE_MAX_CHARS);
}
