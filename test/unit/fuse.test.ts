import { describe, expect, it } from 'vitest';
import { convexCombination, reciprocalRankFusion, DEFAULT_FUSION, fusionFor } from '../../src/engine/retrieve/fuse';

const ranked = (...ids: number[]) => ids.map((chunkId, i) => ({ chunkId, raw: i }));

describe('reciprocal rank fusion', () => {
  it('rewards agreement between retrievers over a single top rank', () => {
    const fused = reciprocalRankFusion(
      [
        { retriever: 'lexical', ranked: ranked(1, 2, 3) },
        { retriever: 'vector', ranked: ranked(4, 2, 1) },
      ],
      DEFAULT_FUSION,
    );
    expect(fused.map((c) => c.chunkId)).toEqual([1, 2, 4, 3]);
    expect(fused[0]?.sources).toEqual(['lexical', 'vector']);
    expect(fused[0]?.score).toBeCloseTo(1 / 11 + 1 / 13, 10);
  });

  it('honours retriever weights', () => {
    const fused = reciprocalRankFusion(
      [
        { retriever: 'lexical', ranked: ranked(1) },
        { retriever: 'vector', ranked: ranked(2) },
      ],
      { lexical: 1, vector: 2, k: 60 },
    );
    expect(fused.map((c) => c.chunkId)).toEqual([2, 1]);
  });
});

describe('convex combination', () => {
  it('adds weighted per-query min-max normalised scores (best 1, worst 0)', () => {
    const lists = [
      { retriever: 'lexical' as const, ranked: [{ chunkId: 1, raw: -20 }, { chunkId: 2, raw: -5 }, { chunkId: 3, raw: -4 }] },
      { retriever: 'vector' as const, ranked: [{ chunkId: 3, raw: 0.3 }, { chunkId: 2, raw: 0.31 }, { chunkId: 1, raw: 0.5 }] },
    ];
    const cc = convexCombination(lists, { method: 'cc', lexical: 1, vector: 0.75, k: 0 });
    expect(cc.map((c) => c.chunkId)).toEqual([1, 2, 3]);
    expect(cc.map((c) => c.score)).toEqual([1, 1 / 16 + 0.75 * 0.95, 0.75].map((x) => expect.closeTo(x, 10)));
  });

  it('scores a one-element list as best', () => {
    expect(convexCombination([{ retriever: 'lexical', ranked: [{ chunkId: 7, raw: -3 }] }], { method: 'cc', lexical: 1, vector: 1, k: 0 })[0]?.score).toBe(1);
  });
});

describe('fusion per kind of query', () => {
  it('uses the model\'s vector weight for the query\'s kind, and the general one otherwise', () => {
    const fusion = { method: 'cc' as const, lexical: 1, vector: 0.4, k: 0, vectorByKind: { long: 0.2 } };
    expect(fusionFor(fusion, 'long').vector).toBe(0.2);
    expect(fusionFor(fusion, 'question').vector).toBe(0.4);
    expect(fusionFor(fusion, 'symbol').vector).toBe(0.4);
    expect(fusionFor({ lexical: 1, vector: 0.3, k: 0 }, 'long').vector).toBe(0.3);
  });
});
