import { describe, expect, it } from 'vitest';
import { narrowToSymbol } from '../../src/engine/retrieve/narrow';

const MERGED = [
  '/** Refreshes a session token before it expires. */',
  'export function refreshSession(token: string, now: number): string {',
  '  const expires = now + 3600;',
  '  return `${token}:${expires}`;',
  '}',
  '',
  '/** Revokes a session so its token no longer works. */',
  'export function revokeSession(token: string): boolean {',
  '  return token.length > 0;',
  '}',
].join('\n');

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
