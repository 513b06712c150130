import { isRecord } from './guards';
import type { AnswerWire, SourceWire } from './types';

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
  /** The current conversation, whole (on load, New Chat, a conversation opened from the history); `title` is '' for a new one. */
  | { readonly type: 'history'; readonly turns: readonly Turn[]; readonly busy: boolean; readonly title: string }
  /** `title`: the conversation's, which its first question gives. */
  | { readonly type: 'turnStarted'; readonly turn: Turn; readonly title: string }
  | { readonly type: 'delta'; readonly id: string; readonly text: string }
  /** The sources of an answer being written (retrieval is done; the model is being asked). */
  | { readonly type: 'sources'; readonly id: string; readonly sources: readonly SourceWire[] }
  | { readonly type: 'turnDone'; readonly turn: Turn }
  /** Which models answer (shown in the panel; none yet: the empty chat offers to set one up). */
  | { readonly type: 'models'; readonly state: ModelStateWire }
  /** Ask… without a question (Ctrl+Alt+/): the panel's own input takes the keyboard. */
  | { readonly type: 'focusComposer' };

export type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'ask'; readonly question: string }
  | { readonly type: 'stop' }
  /** A code block's buttons: its text to the clipboard, or into the editor at the cursor. */
  | { readonly type: 'copyText'; readonly text: string }
  /** The empty chat's offers: answer with the editor's model, connect an endpoint, or keep to sources. */
  | { readonly type: 'setupModel'; readonly choice: 'editor' | 'endpoint' | 'sourcesOnly' }
  | { readonly type: 'insertCode'; readonly text: string }
  | { readonly type: 'open'; readonly file: string; readonly startLine: number; readonly endLine: number }
  | { readonly type: 'copy'; readonly id: string }
  | { readonly type: 'apply'; readonly id: string }
  /** An answer fell back to sources only (no model, or the model failed): the way to set one up, or to ask again. */
  | { readonly type: 'configureModels' }
  | { readonly type: 'retry'; readonly id: string };

const isString = (v: unknown): v is string => typeof v === 'string';
const isLine = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** What the panel says of the models: who answers questions and drafts, or why none does. */
export interface ModelStateWire {
  /** The knowledge model ("llama3.1 at localhost:11434", "copilot/gpt-4o (editor)"), or null: sources only. */
  readonly answering: string | null;
  readonly houseStyle: string | null;
  readonly withheld: string | null;
  /** The user chose sources only: the empty chat stops offering to set a model up. */
  readonly sourcesOnlyChosen: boolean;
}

const isNullableString = (v: unknown): v is string | null => v === null || isString(v);

function isModelState(v: unknown): v is ModelStateWire {
  return isRecord(v) && isNullableString(v['answering']) && isNullableString(v['houseStyle']) && isNullableString(v['withheld']) && typeof v['sourcesOnlyChosen'] === 'boolean';
}

function isSourceLike(v: unknown): v is SourceWire {
  return isRecord(v) && typeof v['n'] === 'number' && isString(v['path']) && isString(v['file']) && isLine(v['startLine']) && isLine(v['endLine']);
}

function isTurn(v: unknown): v is Turn {
  return isRecord(v) && isString(v['id']) && isString(v['question']) && isString(v['streamed'])
    && (v['answer'] === null || isRecord(v['answer'])) && (v['error'] === null || isString(v['error'])) && (v['applyLabel'] === null || isString(v['applyLabel']));
}

export function isFromWebview(v: unknown): v is FromWebview {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'ready':
    case 'stop':
    case 'configureModels':
      return true;
    case 'copyText':
    case 'insertCode':
      return isString(v['text']);
    case 'setupModel':
      return v['choice'] === 'editor' || v['choice'] === 'endpoint' || v['choice'] === 'sourcesOnly';
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
      return Array.isArray(v['turns']) && v['turns'].every(isTurn) && typeof v['busy'] === 'boolean' && isString(v['title']);
    case 'turnStarted':
      return isTurn(v['turn']) && isString(v['title']);
    case 'turnDone':
      return isTurn(v['turn']);
    case 'delta':
      return isString(v['id']) && isString(v['text']);
    case 'sources':
      return isString(v['id']) && Array.isArray(v['sources']) && v['sources'].every(isSourceLike);
    case 'focusComposer':
      return true;
    case 'models':
      return isModelState(v['state']);
    default:
      return false;
  }
}

/** Stored conversations from an older version may not parse: they are dropped, not trusted. */
export function parseTurns(v: unknown): Turn[] {
  return Array.isArray(v) ? v.filter(isTurn) : [];
}
