import { describe, expect, it } from 'vitest';
import { narrowToSymbol } from '../../src/engine/retrieve/narrow';
import { MERGED_SESSION_FUNCTIONS } from '../helpers/mergedChunk';

const MERGED = MERGED_SESSION_FUNCTIONS;

describe('narrowing a merged chunk to one symbol', () => {
  it("finds each definition's own lines, doc comment included", () => {
    expect(narrowToSymbol(MERGED, 1, ['refreshSession', 'revokeSession'], 'refreshSession')).toEqual({ startLine: 1, endLine: 5 });
    expect(narrowToSymbol(MERGED, 1, ['refreshSession', 'revokeSession'], 'revokeSession')).toEqual({ startLine: 7, endLine: 10 });
    expect(narrowToSymbol(MERGED, 41, ['refreshSession', 'revokeSession'], 'revokeSession')).toEqual({ startLine: 47, endLine: 50 });
  });

  it('works for Python and keeps the whole chunk when it cannot tell', () => {
    const py = 'def total(lines):\n    """Sums."""\n    return sum(lines)\n\n\ndef mean(xs):\n    return total(xs) / len(xs)\n';
    expect(narrowToSymbol(py, 1, ['total', 'mean'], 'mean')).toEqual({ startLine: 6, endLine: 7 });
    expect(narrowToSymbol(py, 1, ['total', 'mean'], 'total')).toEqual({ startLine: 1, endLine: 3 });
    expect(narrowToSymbol(MERGED, 1, ['refreshSession'], 'refreshSession')).toEqual({ startLine: 1, endLine: 10 });
    expect(narrowToSymbol(MERGED, 1, ['a', 'b'], 'missing')).toEqual({ startLine: 1, endLine: 10 });
  });
});
