import { describe, expect, it } from 'vitest';
import { splitMerged } from '../../src/engine/answer/split';
import { MERGED_SESSION_FUNCTIONS } from '../helpers/mergedChunk';

const MERGED = {
  startLine: 1,
  endLine: 10,
  symbol: 'refreshSession, revokeSession',
  text: MERGED_SESSION_FUNCTIONS,
};

describe('splitting merged chunks into cited definitions', () => {
  it('gives each definition its own lines, the one the question names first', () => {
    const parts = splitMerged(MERGED, 'how is a session revoked? revoke');
    expect(parts.map((p) => [p.symbol, p.startLine, p.endLine])).toEqual([['revokeSession', 7, 10], ['refreshSession', 1, 5]]);
    expect(parts[0]?.text.split('\n')[1]).toBe('export function revokeSession(token: string): boolean {');
    expect(splitMerged(MERGED, 'refresh the token').map((p) => p.symbol)).toEqual(['refreshSession', 'revokeSession']);
  });

  it('keeps the chunk whole when a split would lose lines or cannot tell', () => {
    const withImport = { ...MERGED, text: `import { x } from './x';\n${MERGED.text}`, endLine: 11 };
    expect(splitMerged(withImport, 'refresh')).toEqual([withImport]);
    const single = { ...MERGED, symbol: 'refreshSession' };
    expect(splitMerged(single, 'refresh')).toEqual([single]);
  });
});
