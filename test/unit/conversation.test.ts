import { describe, expect, it } from 'vitest';
import { historyMessages, isFollowUp, retrievalQuery } from '../../src/engine/answer/conversation';

const earlier = [{ question: 'how are HTTP redirects followed?', answer: 'Up to a limit [1][2].', sources: ['src/http/redirects.ts', 'src/http/client.ts'] }];

describe('follow-up questions', () => {
  it('knows a follow-up from a question that stands alone', () => {
    expect(isFollowUp('and what about the 301 case?')).toBe(true);
    expect(isFollowUp('why does it retry?')).toBe(true);
    expect(isFollowUp('where is parseConfig defined')).toBe(false);
    expect(isFollowUp('how does the scheduler pick the next job when two have the same priority and one of them is delayed')).toBe(false);
    // Found on Express: a question that names its subject is not a follow-up because it says "it".
    expect(isFollowUp('where is res.redirect implemented and what status does it use?')).toBe(false);
    expect(isFollowUp('what does `handle` do with it?')).toBe(false);
    expect(isFollowUp('what does it return?')).toBe(true);
    expect(isFollowUp('and what about handleError?')).toBe(true);
  });

  it('searches a follow-up with the previous question and the files its answer cited; a new question alone', () => {
    expect(retrievalQuery('and the 301 case?', earlier)).toBe('and the 301 case? how are HTTP redirects followed? redirects.ts client.ts');
    expect(retrievalQuery('where is parseConfig defined', earlier)).toBe('where is parseConfig defined');
    expect(retrievalQuery('and the 301 case?', [])).toBe('and the 301 case?');
  });

  it('gives the model the newest earlier turns that fit the budget, oldest first, without their [n] markers', () => {
    const turns = [
      { question: 'first?', answer: 'a'.repeat(4000), sources: [] },
      { question: 'second?', answer: 'Second answer [3].', sources: ['b.ts'] },
    ];
    expect(historyMessages(turns, 100)).toEqual([
      { role: 'user', content: 'second?' },
      { role: 'assistant', content: 'Second answer.\n(Sources then: b.ts)' },
    ]);
    expect(historyMessages(turns, 5000).map((m) => m.content.slice(0, 7))).toEqual(['first?', 'aaaaaaa', 'second?', 'Second ']);
  });
});
