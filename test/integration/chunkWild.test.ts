import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkWithin } from '../../src/engine/chunk/chunkFile';
import { DEFAULT_LIMITS, Rows, windows } from '../../src/engine/chunk/segments';
import type { Chunk, LanguageId } from '../../src/engine/types';

/** The chunker's contract on any input: valid ranges, texts that are the file's lines, every worded line covered. */
function expectWellFormed(text: string, chunks: readonly Chunk[]): void {
  const lines = text.split('\n');
  const covered = new Uint8Array(lines.length);
  for (const c of chunks) {
    expect(c.startLine).toBeGreaterThanOrEqual(1);
    expect(c.endLine).toBeGreaterThanOrEqual(c.startLine);
    expect(c.endLine).toBeLessThanOrEqual(lines.length);
    expect(c.text).toBe(lines.slice(c.startLine - 1, c.endLine).join('\n'));
    covered.fill(1, c.startLine - 1, c.endLine);
  }
  const missed = lines.findIndex((line, i) => covered[i] !== 1 && /[\p{L}\p{N}]/u.test(line));
  expect(missed, `line ${missed + 1} is in no chunk`).toBe(-1);
}

async function chunked(relPath: string, text: string, language: LanguageId | null): Promise<Chunk[]> {
  const outcome = await chunkWithin({ relPath, text, language }, DEFAULT_LIMITS, 60_000);
  if (outcome.type !== 'chunks') throw new Error(outcome.detail);
  expect(outcome.fallback).toBeNull();
  expectWellFormed(text, outcome.chunks);
  return outcome.chunks;
}

describe('windows', () => {
  it('ends when two neighbouring lines together exceed the character budget', () => {
    const long = 'x'.repeat(3000);
    const rows = new Rows([long, long, long, 'end']);
    const out = windows(0, 3, DEFAULT_LIMITS, rows);
    expect(out).toEqual([[0, 0], [1, 1], [2, 3]]);
  });

  it('overlaps at most half a window, so long lines are not repeated in many windows', () => {
    const rows = new Rows(Array.from({ length: 100 }, () => 'y'.repeat(1300)));
    const out = windows(0, 99, DEFAULT_LIMITS, rows);
    const perLine = new Array<number>(100).fill(0);
    for (const [a, b] of out) for (let r = a; r <= b; r++) perLine[r] = (perLine[r] ?? 0) + 1;
    expect(Math.max(...perLine)).toBeLessThanOrEqual(2);
    expect(out.at(-1)?.[1]).toBe(99);
  });
});

describe('chunking files found in the wild', () => {
  it('chunks a file whose lines are 4,000 to 10,000 characters long (a stopword table)', async () => {
    const table = Array.from({ length: 40 }, (_, i) => `  "${'w'.repeat(4000 + i * 150)}",`).join('\n');
    const text = `export const STOPWORDS = [\n${table}\n];\nexport function isStop(w: string): boolean {\n  return STOPWORDS.includes(w);\n}\n`;
    const chunks = await chunked('stopwords.ts', text, 'typescript');
    expect(chunks.some((c) => c.symbol === 'isStop')).toBe(true);
  });

  it('chunks a bundle that starts with long \\uXXXX identifier tables (acorn inside vitest)', async () => {
    const table = (n: number): string => `var t${n} = "${'\\u0370-\\u0373\\u0376\\u0377'.repeat(400)}";`;
    const code = Array.from({ length: 3000 }, (_, i) => `function f${i}(a) {\n  return a + ${i};\n}`).join('\n');
    const text = `${[1, 2, 3, 4].map(table).join('\n')}\n${code}\n`;
    const chunks = await chunked('acorn.js', text, 'javascript');
    expect(chunks.length).toBeGreaterThan(100);
  });

  const nest = (open: string, close: string, n: number, inner: string): string => `${open.repeat(n)}${inner}${close.repeat(n)}`;
  const deep: Array<[string, LanguageId, string]> = [
    ['parens.ts', 'typescript', `const x = ${nest('(', ')', 5000, '1')};\nexport function after() { return x; }\n`],
    ['blocks.js', 'javascript', `function outer() ${nest('{\n', '}\n', 5000, 'return 1;\n')}`],
    ['arrays.py', 'python', `X = ${nest('[', ']', 5000, '1')}\n\ndef after():\n    return X\n`],
    ['classes.ts', 'typescript', Array.from({ length: 3000 }, (_, i) => `${'  '.repeat(i % 40)}class C${i} { m${i}() { return ${i}; }`).join('\n') + '}'.repeat(3000)],
    ['calls.js', 'javascript', `const f = ${nest('wrap(', ')', 3000, 'function inner() { return 1; }')};\n`],
    ['nested.rs', 'rust', `fn main() ${nest('{ ', ' }', 5000, '1')}\n`],
    ['nested.c', 'c', `int main(void) ${nest('{\n', '}\n', 5000, 'return 0;\n')}`],
  ];
  it.each(deep)('chunks 3,000–5,000 levels of nesting in %s without overflowing the stack', async (relPath, language, text) => {
    await chunked(relPath, text, language);
  });

  it('gives up a file that takes longer than its budget, as a value', async () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `function f${i}() { return ${i}; }`).join('\n');
    const outcome = await chunkWithin({ relPath: 'slow.js', text, language: 'javascript' }, DEFAULT_LIMITS, 1);
    expect(outcome).toEqual({ type: 'timeout', detail: 'chunking took longer than 0.0 s' });
    // The parser is usable afterwards: a cancelled parse does not resume on the next file.
    await chunked('next.js', 'function ok() {\n  return 1;\n}\n', 'javascript');
  });
});

describe('chunking generated input (property-based)', () => {
  const line = fc.oneof(
    { weight: 6, arbitrary: fc.string({ maxLength: 80 }) },
    { weight: 1, arbitrary: fc.string({ minLength: 3000, maxLength: 9000 }) },
    { weight: 3, arbitrary: fc.constantFrom('{', '}', '(', ')', 'function f() {', 'class A {', 'def g():', '  return 1', '"""', '/*', '*/', '`', '') },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 }).map((n) => `${'('.repeat(n)}x${')'.repeat(n % 3 === 0 ? n : 0)}`) },
  );
  const file = fc.array(line, { maxLength: 120 }).map((ls) => ls.join('\n'));
  const language = fc.constantFrom<LanguageId | null>(null, 'typescript', 'javascript', 'python', 'go', 'rust', 'java', 'c', 'cpp', 'csharp', 'markdown');

  it('terminates, never throws and covers every worded line with valid ranges', async () => {
    await fc.assert(
      fc.asyncProperty(file, language, async (text, lang) => {
        const outcome = await chunkWithin({ relPath: 'gen', text, language: lang }, DEFAULT_LIMITS, 60_000);
        expect(outcome.type).toBe('chunks');
        if (outcome.type === 'chunks') expectWellFormed(text, outcome.chunks);
      }),
      { numRuns: 150 },
    );
  });
});
