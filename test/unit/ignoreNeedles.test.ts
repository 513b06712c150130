import ignore from 'ignore';
import { describe, expect, it } from 'vitest';
import { BUILTIN_EXCLUDES, IgnoreStack, needleHaystack, requiredNeedle } from '../../src/engine/walk/ignoreRules';

/** A small deterministic generator, so a failure names a case that can be run again. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pick = <T>(r: () => number, items: readonly T[]): T => {
  const item = items[Math.floor(r() * items.length)];
  if (item === undefined) throw new Error('empty pool');
  return item;
};

const PATTERN_PARTS = ['a', 'b', 'ab', '.', '.o', 'Build', 'é', 'σ', ' ', '*', '**', '?', '/', '-', '.git', 'x.y', '[ab]', '[!a]', '[]b]', '[a-c]', ']', '[', '\\#', '\\*', '#'] as const;
const SEGMENTS = ['a', 'b', 'ab', 'A', 'aB', '.o', 'x.o', 'build', 'BUILD', 'rebuild', 'é', 'É', 'ς', 'Σ', 'a b', '.git', 'x.y', 'ab.o', '-', '#a#', '*'] as const;

function randomPattern(r: () => number): string {
  const n = 1 + Math.floor(r() * 5);
  let body = '';
  for (let i = 0; i < n; i++) body += pick(r, PATTERN_PARTS);
  return body.trimEnd();
}

function randomPath(r: () => number): string {
  const n = 1 + Math.floor(r() * 4);
  return Array.from({ length: n }, () => pick(r, SEGMENTS)).join('/');
}

describe('ignore rule needles', () => {
  it('gives the text that a segment-bounded pattern needs', () => {
    expect(requiredNeedle('*.so')).toBe('.so/');
    expect(requiredNeedle('.*')).toBe('/.');
    expect(requiredNeedle('build/')).toBe('/build/');
    expect(requiredNeedle('/Docs/**/*.MD')).toBe('/docs/');
    expect(requiredNeedle('*')).toBeNull();
    expect(requiredNeedle('*.tab.[ch]')).toBe('.tab.');
    expect(requiredNeedle('[Mm]akefile')).toBe('akefile/');
    expect(requiredNeedle('a[b')).toBeNull();
    expect(requiredNeedle('\\#notes')).toBe('notes/');
    expect(requiredNeedle('\\#*#')).toBe('#/');
  });

  it('is in every path the ignore matcher matches, for generated patterns and paths', () => {
    const r = rng(14);
    let matched = 0;
    for (let p = 0; p < 1500; p++) {
      const body = randomPattern(r);
      if (body === '' || body.startsWith('#') || body.startsWith('!')) continue;
      const needle = requiredNeedle(body);
      if (needle === null) continue;
      const matcher = ignore({ allowRelativePaths: true }).add(body);
      for (let q = 0; q < 40; q++) {
        const relPath = randomPath(r);
        for (const probe of [relPath, `${relPath}/`]) {
          if (!matcher.ignores(probe)) continue;
          matched++;
          expect(needleHaystack(relPath).includes(needle), `${body} matches ${probe}; needle ${needle}`).toBe(true);
        }
      }
    }
    // The property is only worth something if many generated pairs matched.
    expect(matched).toBeGreaterThan(1000);
  });

  it('keeps the built-in excludes and a nested .gitignore deciding as before', () => {
    const stack = IgnoreStack.root([]).withRuleFiles('', { gitignore: '.*\n!.gitignore\n*.o\n/Docs/\n' }).withRuleFiles('drivers', { gitignore: 'Gen-*.c\n!keep.o\n' });
    const excluded = (relPath: string, isDir = false): boolean => stack.verdict(relPath, isDir).state === 'excluded';
    expect(excluded('.config')).toBe(true);
    expect(excluded('.gitignore')).toBe(false);
    expect(excluded('kernel/sched.O')).toBe(true);
    expect(excluded('drivers/keep.o')).toBe(false);
    expect(excluded('drivers/net/gen-tables.c')).toBe(true);
    expect(excluded('gen-tables.c')).toBe(false);
    expect(excluded('docs', true)).toBe(true);
    expect(excluded('src/docs', true)).toBe(false);
    expect(excluded('web/node_modules', true)).toBe(true);
    expect(excluded('pkg/Cargo.lock')).toBe(true);
    expect(excluded('kernel/sched.c')).toBe(false);
    for (const rule of BUILTIN_EXCLUDES) expect(requiredNeedle(rule), rule).not.toBeNull();
  });
});
