import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion, DEFAULT_FUSION } from '../../src/engine/retrieve/fuse';
import { pathMatch, type PathVocabulary } from '../../src/engine/retrieve/pathEvidence';
import { analyzeQuery } from '../../src/engine/retrieve/query';
import { isImportsOnly, rank, withEvidence, type RankFacts } from '../../src/engine/retrieve/rank';
import { pathRole } from '../../src/engine/walk/fileKinds';

const vocabularyOf = (paths: readonly string[]): PathVocabulary => {
  const df = new Map<string, number>();
  // The same words as pathWords gives, for the few paths of a test.
  for (const p of paths) for (const w of new Set(p.split(/[/._-]/).map((x) => x.toLowerCase()).filter((x) => x.length > 1))) df.set(w, (df.get(w) ?? 0) + 1);
  return { files: paths.length, df };
};
const none = new Map<number, string>();
const ids = (out: ReadonlyArray<{ chunkId: number }>): number[] => out.map((c) => c.chunkId);

describe('rank', () => {
  const facts = new Map<number, RankFacts>([
    [1, { relPath: 'src/a.ts', symbol: 'other', text: 'x' }],
    [2, { relPath: 'src/b.ts', symbol: 'Store.loadUser', text: 'loadUser()' }],
    [3, { relPath: 'src/a.ts', symbol: 'more', text: 'x' }],
    [4, { relPath: 'test/b.test.ts', symbol: '', text: 'loadUser()' }],
  ]);
  const vocabulary = vocabularyOf(['src/a.ts', 'src/b.ts', 'test/b.test.ts']);
  const candidates = [1, 2, 3, 4].map((chunkId, i) => ({ chunkId, score: 1 - i * 0.1, sources: ['lexical' as const] }));

  it('puts the definition of a queried symbol first and a test that calls it last', () => {
    const out = rank(candidates, facts, analyzeQuery('loadUser'), { definitions: new Map([[2, 'loadUser']]), locations: none, vocabulary });
    expect(out[0]?.chunkId).toBe(2);
    expect(out[out.length - 1]?.chunkId).toBe(4);
  });

  it('keeps a test that both retrievers found below the source only one found (roles hold after fusion)', () => {
    const fused = reciprocalRankFusion(
      [
        { retriever: 'lexical', ranked: [{ chunkId: 4, raw: 0 }, { chunkId: 2, raw: 1 }] },
        { retriever: 'vector', ranked: [{ chunkId: 4, raw: 0 }] },
      ],
      DEFAULT_FUSION,
    );
    expect(fused[0]?.chunkId).toBe(4);
    expect(rank(fused, facts, analyzeQuery('how are users loaded'), { definitions: none, locations: none, vocabulary })[0]?.chunkId).toBe(2);
  });

  it('ranks tests first when the request asks for them', () => {
    const out = rank(candidates, facts, analyzeQuery('tests for loading a user'), { definitions: none, locations: none, vocabulary });
    expect(out[0]?.chunkId).toBe(4);
  });

  it('adds a defining chunk neither retriever returned', () => {
    const out = withEvidence(candidates.slice(0, 2), new Map([[9, 'parseConfig']]));
    expect(ids(out)).toEqual([1, 2, 9]);
  });

  it('decays further chunks of a file already shown', () => {
    const out = rank(candidates, facts, analyzeQuery('something'), { definitions: none, locations: none, vocabulary });
    expect(ids(out).indexOf(1)).toBeLessThan(ids(out).indexOf(3));
    expect(ids(out).indexOf(2)).toBeLessThan(ids(out).indexOf(3));
  });

  it('ranks by a file name that matches the request', () => {
    const paths = ['src/history.go', 'src/terminal.go', 'src/options.go', 'src/reader.go'];
    const f = new Map<number, RankFacts>(paths.map((relPath, i) => [i + 1, { relPath, symbol: '', text: 'x' }]));
    const flat = paths.map((_, i) => ({ chunkId: i + 1, score: i === 1 ? 1.2 : 1, sources: ['lexical' as const] }));
    const out = rank(flat, f, analyzeQuery('remember previous queries in a history file'), { definitions: none, locations: none, vocabulary: vocabularyOf(paths) });
    expect(out[0]?.chunkId).toBe(1);
  });

  it('gives its order whatever the list length: the first N of a longer list are the list for N', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ chunkId: i + 1, score: 1 + ((i * 7) % 5) / 10, sources: ['lexical' as const] }));
    const f = new Map<number, RankFacts>(many.map((c) => [c.chunkId, { relPath: `src/f${c.chunkId % 9}.ts`, symbol: '', text: 'x' }]));
    const out = rank(many, f, analyzeQuery('anything at all'), { definitions: none, locations: none, vocabulary: vocabularyOf([...new Set([...f.values()].map((x) => x.relPath))]) });
    expect(ids(out.slice(0, 10))).toEqual(ids(rank(many, f, analyzeQuery('anything at all'), { definitions: none, locations: none, vocabulary: vocabularyOf([...new Set([...f.values()].map((x) => x.relPath))]) }).slice(0, 10)));
    // Ties are broken by chunk id, not by the order candidates arrived in.
    expect(ids(rank([...many].reverse(), f, analyzeQuery('anything at all'), { definitions: none, locations: none, vocabulary: vocabularyOf([]) }))).toEqual(ids(rank(many, f, analyzeQuery('anything at all'), { definitions: none, locations: none, vocabulary: vocabularyOf([]) })));
  });
});

describe('file-name evidence', () => {
  it('counts a rare word in the file name more than a word every path has', () => {
    const v = vocabularyOf(['pkg/config/loader.go', 'pkg/config/writer.go', 'pkg/config/schema.go', 'pkg/merger.go']);
    const words = new Set(['config', 'merger']);
    expect(pathMatch(v, words, 'pkg/merger.go').stem).toBeGreaterThan(pathMatch(v, words, 'pkg/config/loader.go').folders);
  });
});

describe('path roles', () => {
  it.each([
    ['CHANGES', 'changelog'], ['CHANGELOG.md', 'changelog'], ['History.markdown', 'changelog'], ['.github/ISSUE_TEMPLATE/bug.yml', 'template'],
    ['types/index.d.ts', 'declaration'], ['src/api.txt', 'doc'], ['examples/basic.js', 'example'], ['src/test/java/x/ParserTest.java', 'test'],
    ['Polly.Core.Tests/RetryTests.cs', 'test'], ['spec/site_spec.rb', 'test'], ['src/Contest.java', 'source'], ['src/history.go', 'source'], ['lib/history.rb', 'source'],
  ])('%s is %s', (p, role) => {
    expect(pathRole(p)).toBe(role);
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
    ['x', false],
  ])('%j → %s', (text, expected) => {
    expect(isImportsOnly(text)).toBe(expected);
  });
});
