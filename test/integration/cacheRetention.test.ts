import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BUILTIN_MODEL, modelsDir } from '../../src/engine/embed/createEmbedder';
import { StaticTokenizer } from '../../src/engine/embed/staticTokenizer';
import { identifierParts } from '../../src/engine/text/identifiers';

const TEXTS = 40;
const TEXT_CHARS = 1_000_000;

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = vm.runInNewContext('gc');
  if (typeof gc !== 'function') throw new Error('gc is not available');
  gc();
  gc();
}

/** Heap growth (MiB) after `remember` has seen one long identifier in each of TEXTS texts of TEXT_CHARS, the texts dropped. */
function heapKeptBy(remember: (text: string, identifier: string) => void): number {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < TEXTS; i++) {
    // A unique compound identifier inside a large text, found the way the indexer finds words: as a regex match (a view into the text).
    const name = `parseResponseHeaderNumber${String(i)}x`;
    const text = `${'a '.repeat(TEXT_CHARS / 2)} ${name} end`;
    const match = new RegExp(name).exec(text)?.[0] ?? '';
    remember(text, match);
  }
  collectGarbage();
  return (process.memoryUsage().heapUsed - before) / 2 ** 20;
}

describe('the caches of identifier parts and token ids', () => {
  it('keep the identifiers they saw, not the file texts those came from', () => {
    // The texts are 40 × ~1 MB: a cache keeping them alive would grow the heap by tens of MB.
    expect(heapKeptBy((_text, identifier) => void identifierParts(identifier))).toBeLessThan(8);
    const tokenizer = StaticTokenizer.load(path.join(modelsDir(), BUILTIN_MODEL, 'vocab.json'), 512);
    tokenizer.tokenize('warm the vocabulary up first');
    expect(heapKeptBy((text) => void tokenizer.tokenize(text.slice(TEXT_CHARS - 10)))).toBeLessThan(8);
  });
});
