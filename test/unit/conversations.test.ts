import { describe, expect, it } from 'vitest';
import * as conv from '../../src/client/conversations';
import type { Turn } from '../../src/shared/webviewProtocol';
import type { AnswerWire } from '../../src/shared/types';

const answer = { id: 'a', answer: 'It refreshes [1].', prompt: [{ role: 'user', content: 'x'.repeat(5000) }] } as const;
function turn(id: string, question: string, done = true): Turn {
  // Only the fields the store looks at matter here; the wire guard accepts any record as an answer.
  return { id, question, streamed: '', answer: done ? (answer as unknown as AnswerWire) : null, error: null, applyLabel: null };
}

let counter = 0;
const newId = (): string => `c${++counter}`;

describe('the chat conversations of a workspace', () => {
  it('carries the single turn list of 0.1 over as the current conversation', () => {
    const s = conv.parseState(undefined, [turn('t1', 'how are sessions refreshed?'), turn('t2', 'still streaming', false)], newId, 1);
    expect(s.conversations).toHaveLength(1);
    expect(conv.current(s).turns.map((t) => t.id)).toEqual(['t1']);
    expect(conv.current(s).title).toBe('how are sessions refreshed?');
  });

  it('keeps the old conversation in the history on New Chat, and an empty chat only once', () => {
    let s = conv.parseState(undefined, undefined, newId, 1);
    s = conv.withTurns(s, [turn('t1', 'where is the router?')], 2);
    const first = s.currentId;
    s = conv.startNew(s, 'n1', 3);
    s = conv.startNew(s, 'n2', 4);
    expect(s.currentId).toBe('n2');
    expect(s.conversations.map((c) => c.id)).toEqual(['n2', first]);
    expect(conv.listed(s).map((c) => c.title)).toEqual(['where is the router?']);
    s = conv.restore(s, first);
    expect(conv.current(s).turns.map((t) => t.question)).toEqual(['where is the router?']);
    // The empty chat left for the restored one is not kept.
    expect(s.conversations.map((c) => c.id)).toEqual([first]);
  });

  it('titles a conversation by its first question, cut at a word', () => {
    const long = `why does ${'the retry loop '.repeat(10)}stop`;
    const title = conv.titleOf([turn('t', long)]);
    expect(title.length).toBeLessThanOrEqual(81);
    expect(title.endsWith('…')).toBe(true);
    const kept = title.slice(0, -1);
    // A prefix of the question that ends at a word's end.
    expect(long.startsWith(kept)).toBe(true);
    expect(long[kept.length]).toBe(' ');
    expect(conv.titleOf([])).toBe('New conversation');
  });

  it('deletes a conversation, opens an empty one when it was current, and Undo puts it back', () => {
    let s = conv.parseState(undefined, undefined, newId, 1);
    s = conv.withTurns(s, [turn('t1', 'q1')], 2);
    const deleted = conv.current(s);
    s = conv.remove(s, deleted.id, newId, 3);
    expect(conv.current(s).turns).toEqual([]);
    expect(conv.listed(s)).toEqual([]);
    s = conv.reinsert(s, deleted);
    expect(conv.listed(s).map((c) => c.id)).toEqual([deleted.id]);
    expect(conv.reinsert(s, deleted)).toBe(s);
  });

  it('stores the open conversation whole and the others without their prompts, newest first, at most MAX_CONVERSATIONS', () => {
    let s = conv.parseState(undefined, undefined, newId, 0);
    for (let i = 1; i <= conv.MAX_CONVERSATIONS + 5; i++) {
      s = conv.withTurns(s, [turn(`t${i}`, `question ${i}`)], i);
      s = conv.startNew(s, `n${i}`, i);
    }
    s = conv.withTurns(s, [turn('open', 'the open one')], 1000);
    const stored = conv.forStorage(s);
    expect(stored.conversations).toHaveLength(conv.MAX_CONVERSATIONS);
    expect(stored.conversations[0]?.title).toBe('the open one');
    expect(stored.conversations[0]?.turns[0]?.answer?.prompt).toHaveLength(1);
    expect(stored.conversations[1]?.turns[0]?.answer?.prompt).toEqual([]);
    expect(stored.conversations.map((c) => c.title)).not.toContain('question 1');
    // What was stored reads back as it was.
    const back = conv.parseState(JSON.parse(JSON.stringify(stored)), undefined, newId, 2000);
    expect(back.currentId).toBe(s.currentId);
    expect(conv.listed(back)).toHaveLength(conv.MAX_CONVERSATIONS);
  });

  it('keeps at most MAX_TURNS turns of a conversation', () => {
    let s = conv.parseState(undefined, undefined, newId, 0);
    s = conv.withTurns(s, Array.from({ length: conv.MAX_TURNS + 3 }, (_, i) => turn(`t${i}`, `q${i}`)), 1);
    expect(conv.current(s).turns).toHaveLength(conv.MAX_TURNS);
    expect(conv.current(s).turns[0]?.question).toBe('q3');
  });

  it('drops what does not parse instead of trusting it', () => {
    const s = conv.parseState({ currentId: 'gone', conversations: [{ id: 'a', title: 't', createdAt: 1, updatedAt: 2, turns: [turn('x', 'q')] }, { id: 5 }] }, undefined, newId, 3);
    expect(s.conversations.map((c) => c.id)).toEqual([expect.stringMatching(/^c/), 'a']);
    expect(conv.current(s).turns).toEqual([]);
  });
});
