import { describe, expect, it } from 'vitest';
import { candidateFeatures, FEATURE_NAMES, type CandidateFacts } from '../../src/engine/retrieve/features';

const feature = (features: readonly number[], name: (typeof FEATURE_NAMES)[number]): number => features[FEATURE_NAMES.indexOf(name)] ?? Number.NaN;

describe('learned fusion features: file support', () => {
  // Chunks 1–3 in a.ts, 4 alone in b.ts, 5 in c.ts under another root with the same relative path as a.ts.
  const facts = new Map<number, CandidateFacts>([
    [1, { rootPath: '/r', relPath: 'a.ts', startLine: 1, endLine: 9 }],
    [2, { rootPath: '/r', relPath: 'a.ts', startLine: 10, endLine: 19 }],
    [3, { rootPath: '/r', relPath: 'a.ts', startLine: 20, endLine: 29 }],
    [4, { rootPath: '/r', relPath: 'b.ts', startLine: 1, endLine: 9 }],
    [5, { rootPath: '/other', relPath: 'a.ts', startLine: 1, endLine: 9 }],
  ]);
  const lexical = [{ chunkId: 4, raw: -9 }, { chunkId: 1, raw: -8 }, { chunkId: 2, raw: -7 }, { chunkId: 5, raw: -6 }];
  const vector = [{ chunkId: 3, raw: 0.2 }, { chunkId: 4, raw: 0.3 }];
  const byId = new Map(candidateFeatures(lexical, vector, facts, new Map()).map((c) => [c.chunkId, c.features]));

  it('a chunk whose file other candidates also point to gets support; a lone chunk gets none', () => {
    const lone = byId.get(4) ?? [];
    expect(feature(lone, 'fileLexicalSupport')).toBe(0);
    expect(feature(lone, 'fileVectorSupport')).toBe(0);
    const inA = byId.get(1) ?? [];
    expect(feature(inA, 'fileLexicalSupport')).toBeGreaterThan(0);
    expect(feature(inA, 'fileVectorSupport')).toBeGreaterThan(0);
  });

  it('leaves out the candidate’s own rank, and tells files of different roots apart', () => {
    // Chunk 3 is only in the vector list: its lexical support is its file-mates' (1 and 2), its vector support nothing else's.
    const three = byId.get(3) ?? [];
    expect(feature(three, 'fileVectorSupport')).toBe(0);
    // Rank features are 5 / (5 + rank): chunks 1 and 2 are lexical ranks 1 and 2; x / (1 + x) saturates.
    const saturated = (x: number): number => x / (1 + x);
    expect(feature(three, 'fileLexicalSupport')).toBeCloseTo(saturated(5 / 6 + 5 / 7), 10);
    expect(feature(byId.get(1) ?? [], 'fileLexicalSupport')).toBeCloseTo(saturated(5 / 7), 10);
    expect(feature(byId.get(5) ?? [], 'fileLexicalSupport')).toBe(0);
  });

  it('saturates: more file-mates add less and less, staying below 1', () => {
    const values = [1, 2, 3].map((id) => feature(byId.get(id) ?? [], 'fileLexicalSupport'));
    for (const v of values) expect(v).toBeLessThan(1);
    expect(feature(byId.get(3) ?? [], 'fileLexicalSupport')).toBeGreaterThan(feature(byId.get(1) ?? [], 'fileLexicalSupport'));
  });
});
