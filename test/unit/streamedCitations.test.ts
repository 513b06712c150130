import { describe, expect, it } from 'vitest';
import { StreamedCitations } from '../../src/client/streamedCitations';
import type { TextPiece } from '../../src/shared/citationGrammar';

function run(pieces: readonly string[]): TextPiece[] {
  const s = new StreamedCitations();
  return [...pieces.flatMap((p) => s.push(p)), ...s.flush()];
}

describe('citations in a streamed answer', () => {
  it('holds a citation split across pieces until it is whole', () => {
    const out = run(['The token is refreshed by `refreshSession` [', '1', '] in src/sess', 'ion.ts:1-', '5 before it expires.']);
    expect(out.filter((p) => p.type !== 'text')).toEqual([
      { type: 'cite', ns: [1], text: '[1]' },
      { type: 'range', path: 'src/session.ts', startLine: 1, endLine: 5, text: 'src/session.ts:1-5' },
    ]);
    expect(out.map((p) => p.text).join('')).toBe('The token is refreshed by `refreshSession` [1] in src/session.ts:1-5 before it expires.');
  });

  it('lets text through as soon as a word is complete, and a lone bracket after 40 characters', () => {
    const s = new StreamedCitations();
    expect(s.push('Hello wor').map((p) => p.text).join('')).toBe('Hello ');
    expect(s.push(`ld [not a citation ${'x'.repeat(40)} `).map((p) => p.text).join('')).toBe(`world [not a citation ${'x'.repeat(40)} `);
    expect(s.flush()).toEqual([]);
  });
});
