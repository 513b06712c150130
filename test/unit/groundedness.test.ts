import { describe, expect, it } from 'vitest';
import { groundedness, parseCitations } from '../../src/engine/answer/citations';
import type { Citation, NumberedSource } from '../../src/engine/answer/types';

const SOURCE: NumberedSource = { n: 1, path: 'src/a.ts', rootPath: '/r', relPath: 'src/a.ts', startLine: 1, endLine: 5, symbol: 'a', text: 'x', foundBy: ['lexical'], score: 1 };
const OK: Citation = { n: 1, path: 'src/a.ts', file: '/r/src/a.ts', startLine: 1, endLine: 5, status: 'ok', detail: '' };

describe('answer checking', () => {
  it('scans a 1 MB answer without sentence breaks or spaces in linear time', { timeout: 10_000 }, () => {
    const noBreaks = `${'word '.repeat(20_000)}`;
    const noSpaces = 'a.b/c-d@e_f'.repeat(100_000);
    for (const text of [noBreaks, noSpaces, `${noSpaces}.ts:12-14 [1]`]) {
      parseCitations(text, [SOURCE]);
      groundedness(text, [SOURCE], [OK]);
    }
    expect(parseCitations(`${'x'.repeat(1000)} src/a.ts:2-3`, [SOURCE]).map((r) => [r.path, r.startLine, r.endLine])).toEqual([['src/a.ts', 2, 3]]);
  });

  it('scores an answer that neither claims nor cites anything 0, not 1', () => {
    expect(groundedness('PWNED', [SOURCE], []).score).toBe(0);
    expect(groundedness('Yes [1].', [SOURCE], [OK]).score).toBe(1);
  });

  it('scores a plain "the sources do not show it" 1: it claims nothing about the code', () => {
    expect(groundedness('The codebase (as indexed) does not show how tokens are revoked.', [SOURCE], []).score).toBe(1);
    expect(groundedness('Tokens are revoked by the nightly job in the scheduler.', [SOURCE], []).score).toBe(0);
  });
});
