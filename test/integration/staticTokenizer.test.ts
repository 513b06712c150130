import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_MODEL, modelsDir } from '../../src/engine/embed/createEmbedder';
import { StaticTokenizer } from '../../src/engine/embed/staticTokenizer';
import { words } from '../../src/engine/text/identifiers';

const VOCAB = path.join(modelsDir(), BUILTIN_MODEL, 'vocab.json');

describe("the built-in model's tokenizer", () => {
  it('finds the same ids by scanning the vocabulary (a query) as by its map (documents in bulk)', () => {
    // Code nobody here wrote, with words in and out of the vocabulary.
    const text = readFileSync(path.join(__dirname, '..', '..', 'node_modules', 'lodash', 'template.js'), 'utf8');
    const scannedFirst = StaticTokenizer.load(VOCAB, 100_000);
    const mappedOnly = StaticTokenizer.load(VOCAB, 100_000);
    // Enough distinct lookups that the second builds its map before it sees the text.
    mappedOnly.tokenize(Array.from({ length: 100 }, (_, i) => `zzqx${i}`).join(' '));
    const scanned = scannedFirst.tokenize(text);
    expect(scanned.length).toBeGreaterThan(100);
    expect(scanned).toEqual(mappedOnly.tokenize(text));
    expect(StaticTokenizer.load(VOCAB, 8).tokenize('template interpolate zzqx')).toEqual(mappedOnly.tokenize('template interpolate zzqx').slice(0, 8));
  });

  it('gives a text the same ids when its words come from the cache of words already seen', () => {
    // Compound identifiers (several ids), plain words (one) and words out of the vocabulary (none).
    const text = readFileSync(path.join(__dirname, '..', '..', 'node_modules', 'lodash', 'debounce.js'), 'utf8');
    const tokenizer = StaticTokenizer.load(VOCAB, 100_000);
    const first = tokenizer.tokenize(text);
    expect(first.some(([, count]) => count > 1)).toBe(true);
    expect(tokenizer.tokenize(text)).toEqual(first);
    expect(tokenizer.tokenize(`${text}\n${text}`)).toEqual(first.map(([id, count]) => [id, 2 * count]));
  });

  it("gives each text the bag words() defines: counts of its words' ids, most frequent first, ties in order of first occurrence", () => {
    const list: unknown = JSON.parse(readFileSync(VOCAB, 'utf8'));
    const ids = new Map<string, number>();
    if (Array.isArray(list)) list.forEach((token, id) => ids.set(String(token), id));
    const reference = (text: string, max: number): Array<[number, number]> => {
      const counts = new Map<number, number>();
      for (const w of words(text)) {
        const id = ids.get(w);
        if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return [...counts].sort((a, b) => b[1] - a[1]).slice(0, max);
    };
    const texts = [
      readFileSync(path.join(__dirname, '..', '..', 'node_modules', 'lodash', 'template.js'), 'utf8'),
      // Letters beyond ASCII and the BMP, a lone surrogate, `$` inside words, digits, a word at the very end.
      'größe = maxSize$2 + ℝeal 𝒳value naïve_parse \ud800 parseHTTPResponse $el 42 ab12cd userId',
      'b a c a b d e a',
      '',
    ];
    const tokenizer = StaticTokenizer.load(VOCAB, 100_000);
    for (const max of [100_000, 5]) {
      const limited = StaticTokenizer.load(VOCAB, max);
      for (const text of texts) {
        expect(tokenizer.tokenize(text).slice(0, max)).toEqual(reference(text, max));
        expect(limited.tokenize(text)).toEqual(reference(text, max));
      }
    }
  });
});

