import { describe, expect, it } from 'vitest';
import { convexCombination, isImportsOnly, reciprocalRankFusion, rerank, DEFAULT_FUSION } from '../../src/engine/retrieve/fuse';
import { analyzeQuery } from '../../src/engine/retrieve/query';

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

describe('rerank', () => {
  const facts = new Map([
    [1, { relPath: 'src/a.ts', symbol: 'other', text: 'x' }],
    [2, { relPath: 'src/b.ts', symbol: 'Store.loadUser', text: 'loadUser()' }],
    [3, { relPath: 'src/a.ts', symbol: 'more', text: 'x' }],
    [4, { relPath: 'test/b.test.ts', symbol: '', text: 'loadUser()' }],
  ]);
  const candidates = [1, 2, 3, 4].map((chunkId, i) => ({ chunkId, score: 1 - i * 0.1, sources: ['lexical' as const] }));

  it('boosts a chunk named by an identifier in the query and lowers tests', () => {
    const out = rerank(candidates, facts, analyzeQuery('loadUser'));
    expect(out[0]?.chunkId).toBe(2);
    expect(out[out.length - 1]?.chunkId).toBe(4);
  });

  it('decays further chunks of a file already shown', () => {
    const out = rerank(candidates, facts, analyzeQuery('something'));
    const a = out.filter((c) => c.chunkId === 1 || c.chunkId === 3);
    expect(a[1]?.score).toBeCloseTo(0.8 * 0.7, 10);
  });
});

describe('import-only chunks', () => {
  it.each([
    ["import { a } from './a';\nimport * as b from 'b';", true],
    ["import {\n  a,\n  b,\n} from './x';", true],
    ["'use strict';\nconst fs = require('fs');", true],
    ['from os import path\nimport sys', true],
    ['#include <stdio.h>\n#include "ring.h"', true],
    ['using System;\nusing System.Linq;', true],
    ["import { a } from './a';\nexport function f() { return a; }", false],
    ['def f():\n    return 1', false],
  ])('%j → %s', (text, expected) => {
    expect(isImportsOnly(text)).toBe(expected);
  });
});

describe('import-only: not fooled by one-word chunks', () => {
  it('a lone identifier line is not an import', () => {
    expect(isImportsOnly('x')).toBe(false);
  });
});
