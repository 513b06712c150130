import { describe, expect, it } from 'vitest';
import { sourcesOnlyAnswer, whyMatched } from '../../src/engine/answer/providers/sourcesOnly';
import type { NumberedSource } from '../../src/engine/answer/types';

function source(n: number, symbol: string, text: string, foundBy: readonly string[]): NumberedSource {
  return { n, path: 'src/session.ts', rootPath: '/r', relPath: 'src/session.ts', startLine: 10 * n, endLine: 10 * n + 4, symbol, text, foundBy, score: 1 };
}

describe('the sources-only answer', () => {
  it('says why each source without a doc line is there, instead of one formula for all', () => {
    const q = 'how is the session token refreshed before it expires?';
    expect(whyMatched(source(1, 'renew', 'function renew(sessionToken) { return refreshToken(sessionToken); }', ['lexical']), q)).toBe('mentions *session*, *token*, *refreshed*');
    expect(whyMatched(source(2, 'keepAlive', 'function keepAlive(t) { return ping(t); }', ['vector']), q)).toBe('is close in meaning to the question (found by the embedding model)');
    const text = sourcesOnlyAnswer(q, [
      source(1, 'renew', 'function renew(sessionToken) { return refreshToken(sessionToken); }', ['lexical']),
      source(2, 'revokeSession', '/** Revokes a session so its token no longer works. */\nexport function revokeSession(token: string): boolean {\n  return token.length > 0;\n}', ['lexical', 'vector']),
    ], 'Sources only: no language model is configured.');
    expect(text).toContain('- `renew` mentions *session*, *token*, *refreshed*. [1]');
    expect(text).toContain('- `revokeSession`: Revokes a session so its token no longer works. [2]');
    expect(text).not.toContain('matches the question');
    // Lines without a name are plural.
    expect(sourcesOnlyAnswer(q, [source(3, '', 'x = 1\ny = 2', ['vector'])], 'Sources only.')).toContain('- Lines 30-34 are close in meaning to the question (found by the embedding model). [3]');
  });
});
