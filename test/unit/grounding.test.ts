import { describe, expect, it } from 'vitest';
import { groundingSummary } from '../../src/webview/grounding';
import { turnTitle } from '../../src/client/answerText';
import type { AnswerWire, CitationWire } from '../../src/shared/types';

const ok: CitationWire = { n: 1, path: 'src/a.ts', file: '/r/src/a.ts', startLine: 1, endLine: 3, status: 'ok', detail: '' };
function answer(over: Partial<AnswerWire>): AnswerWire {
  return {
    id: 'a', question: 'q', kind: { type: 'ask' }, answer: 'text', route: { role: 'knowledge', model: 'm', reason: '' },
    citations: [], sources: [], groundedness: 0, unsupported: [], fallback: null, ...over,
  };
}

describe('what the panel says was checked', () => {
  it('counts claims that cite lines that exist, and says only that', () => {
    const g = groundingSummary(answer({ citations: [ok], claims: { total: 5, cited: 4 }, unsupported: ['It retries forever.'] }));
    expect(g?.text).toBe('4 of 5 claims cite lines that exist as quoted');
    expect(g?.good).toBe(false);
    expect(g?.tooltip).toMatch(/Whether those lines support the claim is not checked/);
    expect(g?.tooltip).toMatch(/It retries forever\./);
    expect(groundingSummary(answer({ citations: [ok], claims: { total: 1, cited: 1 } }))?.text).toBe('1 of 1 claim cites lines that exist as quoted');
  });

  it('never calls an answer without citations grounded, and says nothing of drafts', () => {
    const none = groundingSummary(answer({ claims: { total: 0, cited: 0 } }));
    expect(none?.good).toBe(false);
    expect(none?.text).toMatch(/^No claim cites a source/);
    expect(groundingSummary(answer({ kind: { type: 'docstring', file: '/r/a.py', line: 3 }, claims: { total: 0, cited: 0 } }))).toBeNull();
    expect(groundingSummary(answer({ kind: { type: 'commitMessage', root: '/r' } }))).toBeNull();
  });
});

describe('the title of a docstring turn', () => {
  it("names the unit the engine documented, not the word under the cursor", () => {
    const draft = answer({ kind: { type: 'docstring', file: '/r/billing.py', line: 274, symbol: 'apply_discount' } });
    expect(turnTitle('Write Docstring in House Style at src/billing.py:274', draft)).toBe('Write Docstring in House Style for `apply_discount` (src/billing.py:274)');
    expect(turnTitle('Write Docstring in House Style at src/billing.py:274', answer({ kind: { type: 'docstring', file: '/r/billing.py', line: 274, symbol: '' } }))).toBe('Write Docstring in House Style at src/billing.py:274');
    expect(turnTitle('how?', answer({}))).toBe('how?');
  });
});
