import { isRecord } from './guards';
import type { AnswerWire } from './types';

/**
 * Messages between the chat webview and the extension (design rule 2): discriminated unions,
 * received as `unknown` and checked by a guard before dispatch, in both directions.
 */

/** One exchange in the conversation, as the panel shows it and the extension stores it. */
export interface Turn {
  readonly id: string;
  /** What the user asked, or what the command asked for ("Write Docstring for `refreshSession`"). */
  readonly question: string;
  /** Text streamed so far (until the answer arrives). */
  readonly streamed: string;
  readonly answer: AnswerWire | null;
  readonly error: string | null;
  /** What the answer can be applied as, when it can: inserted above a line, or set as the commit message. */
  readonly applyLabel: string | null;
}

export type ToWebview =
  | { readonly type: 'history'; readonly turns: readonly Turn[]; readonly busy: boolean }
  | { readonly type: 'turnStarted'; readonly turn: Turn }
  | { readonly type: 'delta'; readonly id: string; readonly text: string }
  | { readonly type: 'turnDone'; readonly turn: Turn }
  /** Ask… without a question (Ctrl+Alt+/): the panel's own input takes the keyboard. */
  | { readonly type: 'focusComposer' };

export type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'ask'; readonly question: string }
  | { readonly type: 'stop' }
  | { readonly type: 'newChat' }
  | { readonly type: 'open'; readonly file: string; readonly startLine: number; readonly endLine: number }
  | { readonly type: 'copy'; readonly id: string }
  | { readonly type: 'apply'; readonly id: string }
  /** An answer fell back to sources only (no model, or the model failed): the way to set one up, or to ask again. */
  | { readonly type: 'configureModels' }
  | { readonly type: 'retry'; readonly id: string };

const isString = (v: unknown): v is string => typeof v === 'string';
const isLine = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

function isTurn(v: unknown): v is Turn {
  return isRecord(v) && isString(v['id']) && isString(v['question']) && isString(v['streamed'])
    && (v['answer'] === null || isRecord(v['answer'])) && (v['error'] === null || isString(v['error'])) && (v['applyLabel'] === null || isString(v['applyLabel']));
}

export function isFromWebview(v: unknown): v is FromWebview {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'ready':
    case 'stop':
    case 'newChat':
    case 'configureModels':
      return true;
    case 'ask':
      return isString(v['question']);
    case 'open':
      return isString(v['file']) && isLine(v['startLine']) && isLine(v['endLine']);
    case 'copy':
    case 'apply':
    case 'retry':
      return isString(v['id']);
    default:
      return false;
  }
}

export function isToWebview(v: unknown): v is ToWebview {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'history':
      return Array.isArray(v['turns']) && v['turns'].every(isTurn) && typeof v['busy'] === 'boolean';
    case 'turnStarted':
    case 'turnDone':
      return isTurn(v['turn']);
    case 'delta':
      return isString(v['id']) && isString(v['text']);
    case 'focusComposer':
      return true;
    default:
      return false;
  }
}

/** Stored conversations from an older version may not parse: they are dropped, not trusted. */
export function parseTurns(v: unknown): Turn[] {
  return Array.isArray(v) ? v.filter(isTurn) : [];
}
