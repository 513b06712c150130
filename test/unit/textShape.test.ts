import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countTokens } from '../../src/engine/text/ftsTerms';
import { measureText, type TextShape } from '../../src/engine/walk/textShape';

/** The counts as the filters first computed them: split, trim and whole-text replacements. */
function reference(text: string): TextShape {
  let longest = 0;
  let nonEmptyChars = 0;
  let nonEmptyLines = 0;
  for (const line of text.split('\n')) {
    longest = Math.max(longest, line.length);
    if (line.trim() !== '') {
      nonEmptyChars += line.length;
      nonEmptyLines++;
    }
  }
  const visible = text.replace(/\s+/g, '');
  return {
    longest, nonEmptyLines, nonEmptyChars,
    visible: visible.length,
    alnum: visible.replace(/[^\p{L}\p{N}_]/gu, '').length,
    digits: visible.replace(/[^0-9]/g, '').length,
  };
}

/**
 * Texts mixing every class the pass tells apart, drawn reproducibly (xorshift). Lone surrogates are
 * high ones only: the replacements could join a lone high and a lone low across removed whitespace
 * into one letter, which the pass rightly does not.
 */
function mixed(seed: number, length: number): string {
  const pieces = ['a', 'Z', '_', '7', ' ', '\t', '\n', '\r\n', '\u00a0', '\u2028', '\u3000', '\ufeff', 'é', 'ж', '٣', '字', '𝒜', '😀', '\ud800', '{', '=', '\u000b'];
  let x = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += pieces[(x >>> 0) % pieces.length] ?? '';
  }
  return out;
}

describe('measureText', () => {
  it('counts what the split-and-replace computation counts, on mixed Unicode, lone surrogates and blank lines', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = mixed(seed, seed * 7);
      expect(measureText(text), JSON.stringify(text)).toEqual(reference(text));
    }
    for (const text of ['', '\n', '   \n\t\n', 'x', 'a\n\n b \n', 'a\udc00b\ud800', '\udc00\ud800x']) expect(measureText(text)).toEqual(reference(text));
  });

  it('counts the same on real source files', () => {
    const files = ['src/engine/walk/readSource.ts', 'README.md', 'package.json', 'media/chat.css'].map((f) => path.join(__dirname, '../..', f)).filter((f) => fs.existsSync(f));
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      expect(measureText(text)).toEqual(reference(text));
    }
  });
});

describe('countTokens', () => {
  it('counts the runs a `[\\p{L}\\p{N}_]+` match finds, astral letters, emoji and lone surrogates among them', () => {
    const texts = [...Array.from({ length: 300 }, (_, k) => mixed(k + 1, (k + 1) * 7)), '', 'a', 'foo_bar baz9', '𝒜𝒜 😀x', 'a\udc00b\ud800', '__ 12 ab-cd'];
    for (const text of texts) expect(countTokens(text), JSON.stringify(text)).toBe(text.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0);
  });
});
