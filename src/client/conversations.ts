import { isRecord } from '../shared/guards';
import { parseTurns, type Turn } from '../shared/webviewProtocol';

/**
 * The chat's conversations in one workspace: the current one and the history behind it. Pure data
 * (no VS Code): the chat view keeps it in workspaceState and shows it; a unit test drives it.
 */

export interface Conversation {
  readonly id: string;
  readonly title: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly turns: readonly Turn[];
}

export interface ConversationsState {
  readonly currentId: string;
  readonly conversations: readonly Conversation[];
}

/** A conversation is a working set: its oldest turns go past this. */
export const MAX_TURNS = 50;
/** The history keeps this many conversations; the least recently used go first. */
export const MAX_CONVERSATIONS = 100;
const TITLE_CHARS = 80;

/** A conversation's title: its first question, on one line, cut at a word. */
export function titleOf(turns: readonly Turn[]): string {
  const first = turns[0]?.question.replace(/\s+/g, ' ').trim() ?? '';
  if (first === '') return 'New conversation';
  if (first.length <= TITLE_CHARS) return first;
  const cut = first.slice(0, TITLE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${space > TITLE_CHARS / 2 ? cut.slice(0, space) : cut}…`;
}

export function emptyConversation(id: string, now: number): Conversation {
  return { id, title: titleOf([]), createdAt: now, updatedAt: now, turns: [] };
}

/** Finished turns only: a turn still streaming when the window closed has nothing to restore. */
function settled(turns: readonly Turn[]): Turn[] {
  return turns.filter((t) => t.answer !== null || t.error !== null);
}

/**
 * What is kept of a conversation that is not open: its turns without the prompt each answer was
 * given (the largest part, shown only on demand, and rebuilt by asking again).
 */
function archived(c: Conversation): Conversation {
  return { ...c, turns: settled(c.turns).map((t) => (t.answer === null || t.answer.prompt === undefined ? t : { ...t, answer: { ...t.answer, prompt: [] } })) };
}

function parseConversation(v: unknown): Conversation | null {
  if (!isRecord(v)) return null;
  const { id, title, createdAt, updatedAt } = v;
  if (typeof id !== 'string' || typeof title !== 'string' || typeof createdAt !== 'number' || typeof updatedAt !== 'number') return null;
  return { id, title, createdAt, updatedAt, turns: parseTurns(v['turns']) };
}

/**
 * The stored state, whatever is stored: the current format, the single turn list of 0.1 (it becomes
 * the current conversation), or nothing (a new, empty one).
 */
export function parseState(stored: unknown, legacyTurns: unknown, newId: () => string, now: number): ConversationsState {
  if (isRecord(stored) && Array.isArray(stored['conversations'])) {
    const conversations = stored['conversations'].map(parseConversation).filter((c): c is Conversation => c !== null);
    const currentId = stored['currentId'];
    if (typeof currentId === 'string' && conversations.some((c) => c.id === currentId)) return { currentId, conversations };
    const fresh = emptyConversation(newId(), now);
    return { currentId: fresh.id, conversations: [fresh, ...conversations] };
  }
  const turns = settled(parseTurns(legacyTurns));
  const first = { ...emptyConversation(newId(), now), title: titleOf(turns), turns };
  return { currentId: first.id, conversations: [first] };
}

export function current(state: ConversationsState): Conversation {
  const found = state.conversations.find((c) => c.id === state.currentId);
  if (found === undefined) throw new Error(`conversation ${state.currentId} is missing from its own state`);
  return found;
}

/** The current conversation with its turns replaced (titled by its first question, kept to MAX_TURNS). */
export function withTurns(state: ConversationsState, turns: readonly Turn[], now: number): ConversationsState {
  const kept = turns.slice(-MAX_TURNS);
  return {
    ...state,
    conversations: state.conversations.map((c) => (c.id === state.currentId ? { ...c, turns: kept, title: c.turns.length === 0 || c.title === titleOf([]) ? titleOf(kept) : c.title, updatedAt: now } : c)),
  };
}

/** What is written to storage: the open conversation whole, the others archived, the newest MAX_CONVERSATIONS. */
export function forStorage(state: ConversationsState): ConversationsState {
  const kept = [...state.conversations]
    .filter((c) => c.id === state.currentId || settled(c.turns).length > 0)
    .sort((a, b) => b.updatedAt - a.updatedAt)
    .slice(0, MAX_CONVERSATIONS);
  if (!kept.some((c) => c.id === state.currentId)) kept.unshift(current(state));
  return { currentId: state.currentId, conversations: kept.map((c) => (c.id === state.currentId ? { ...c, turns: settled(c.turns) } : archived(c))) };
}

/** New Chat: an empty conversation becomes current; the one that was current stays in the history. */
export function startNew(state: ConversationsState, id: string, now: number): ConversationsState {
  const open = current(state);
  // An empty conversation is not worth a history entry: New Chat twice gives one empty chat.
  const rest = open.turns.length === 0 ? state.conversations.filter((c) => c.id !== open.id) : state.conversations;
  return { currentId: id, conversations: [emptyConversation(id, now), ...rest] };
}

/** Opens a conversation of the history (it becomes current); an unknown id changes nothing. */
export function restore(state: ConversationsState, id: string): ConversationsState {
  if (!state.conversations.some((c) => c.id === id)) return state;
  const open = current(state);
  const rest = open.turns.length === 0 && open.id !== id ? state.conversations.filter((c) => c.id !== open.id) : state.conversations;
  return { currentId: id, conversations: rest };
}

/** Deletes a conversation; deleting the open one opens a new, empty one. */
export function remove(state: ConversationsState, id: string, newId: () => string, now: number): ConversationsState {
  const rest = state.conversations.filter((c) => c.id !== id);
  if (id !== state.currentId) return { ...state, conversations: rest };
  const fresh = emptyConversation(newId(), now);
  return { currentId: fresh.id, conversations: [fresh, ...rest] };
}

/** Puts a deleted conversation back (Undo), as it was. */
export function reinsert(state: ConversationsState, conversation: Conversation): ConversationsState {
  if (state.conversations.some((c) => c.id === conversation.id)) return state;
  return { ...state, conversations: [...state.conversations, conversation] };
}

/** The history as listed: most recent first, without empty conversations. */
export function listed(state: ConversationsState): Conversation[] {
  return [...state.conversations].filter((c) => c.turns.length > 0).sort((a, b) => b.updatedAt - a.updatedAt);
}
