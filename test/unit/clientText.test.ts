import { describe, expect, it } from 'vitest';
import { applyLabel, bestLine, docstringEdit, reindent, relocatePlacement } from '../../src/client/answerText';
import { isFromWebview, isToWebview, parseTurns } from '../../src/shared/webviewProtocol';

describe('answer text in the client', () => {
  it('offers to apply model-written docstrings and commit messages, never sources-only text', () => {
    expect(applyLabel({ type: 'docstring', file: '/a.ts', line: 3 }, 'houseStyle')).toBe('Insert Docstring');
    expect(applyLabel({ type: 'commitMessage', root: '/r' }, 'knowledge')).toBe('Use as Commit Message');
    expect(applyLabel({ type: 'docstring', file: '/a.ts', line: 3 }, 'sourcesOnly')).toBeNull();
    expect(applyLabel({ type: 'ask' }, 'knowledge')).toBeNull();
  });

  it('re-indents a doc comment to the code', () => {
    expect(reindent('/**\n * Pages through results.\n */', '  ')).toBe('  /**\n   * Pages through results.\n   */');
    expect(reindent('    """Sums."""', '    ')).toBe('    """Sums."""');
  });

  it("shows a search result's line that matches the query best", () => {
    expect(bestLine('import { a } from "./a";\n\nexport const reconcileLedgerBalance = 42;', 'reconcile ledger balance')).toBe('export const reconcileLedgerBalance = 42;');
    expect(bestLine('\n  first line\nsecond', 'zzz')).toBe('first line');
  });
});

describe('the webview protocol guards', () => {
  const turn = { id: 't1', question: 'q', streamed: '', answer: null, error: null, applyLabel: null };

  it('accepts well-formed messages in both directions', () => {
    expect(isFromWebview({ type: 'ask', question: 'how?' })).toBe(true);
    expect(isFromWebview({ type: 'open', file: '/a.ts', startLine: 1, endLine: 4 })).toBe(true);
    expect(isFromWebview({ type: 'configureModels' })).toBe(true);
    expect(isFromWebview({ type: 'retry', id: 't1' })).toBe(true);
    expect(isFromWebview({ type: 'retry' })).toBe(false);
    expect(isToWebview({ type: 'history', turns: [turn], busy: false, title: 'a question' })).toBe(true);
    expect(isToWebview({ type: 'history', turns: [turn], busy: false })).toBe(false);
    expect(isToWebview({ type: 'delta', id: 't1', text: 'x' })).toBe(true);
  });

  it('rejects anything else', () => {
    expect(isFromWebview({ type: 'open', file: '/a.ts', startLine: 0, endLine: 4 })).toBe(false);
    expect(isFromWebview({ type: 'ask', question: 7 })).toBe(false);
    expect(isFromWebview({ type: 'runCommand', command: 'rm' })).toBe(false);
    expect(isFromWebview(null)).toBe(false);
    expect(isToWebview({ type: 'history', turns: [{ ...turn, id: 3 }], busy: false, title: '' })).toBe(false);
    expect(parseTurns([turn, { id: 'broken' }, 'x'])).toEqual([turn]);
    expect(parseTurns(undefined)).toEqual([]);
  });
});

describe('a drafted docstring\'s placement in the file as it is now', () => {
  // Drafted when the old comment was line 2.
  const placement = { line: 2, indent: '  ', replaces: { startLine: 2, endLine: 2 }, anchor: '/** Old. */' };
  const at = (lines: readonly string[]) => (i: number): string => lines[i] ?? '';

  it('stays when the anchor line is where it was; follows it when lines moved above', () => {
    const same = ['class A {', '  /** Old. */', '  next() {}', '}'];
    expect(relocatePlacement(placement, same.length, at(same))).toEqual(placement);
    // A line was added above since: the comment (and what it replaces) moves down one.
    const now = ['class A {', '', '  /** Old. */', '  next() {}', '}'];
    expect(relocatePlacement(placement, now.length, at(now))).toEqual({ ...placement, line: 3, replaces: { startLine: 3, endLine: 3 } });
  });

  it('refuses when the anchor is gone, or blank and no longer blank', () => {
    const now = ['class A {', '  next() {}', '}'];
    expect(relocatePlacement(placement, now.length, at(now))).toBeNull();
    expect(relocatePlacement({ line: 2, indent: '    ', replaces: null, anchor: '' }, now.length, at(now))).toBeNull();
    expect(relocatePlacement({ line: 2, indent: '    ', replaces: null, anchor: '' }, 3, at(['def f(x):', '', '    return x']))).not.toBeNull();
  });
});

describe('the edit that puts a docstring in place', () => {
  const len = (lines: readonly string[]) => (i: number): number => (lines[i] ?? '').length;

  it('inserts before the placement line', () => {
    expect(docstringEdit({ line: 3, indent: '', replaces: null, anchor: 'x' }, '/** Doc. */', 5, len([]))).toEqual({
      start: { line: 2, character: 0 }, end: { line: 2, character: 0 }, text: '/** Doc. */\n',
    });
  });

  it('replaces the old comment\'s whole lines, and up to the end of a file without a final newline', () => {
    expect(docstringEdit({ line: 2, indent: '    ', replaces: { startLine: 2, endLine: 3 }, anchor: '"""' }, '    """New."""', 5, len([]))).toEqual({
      start: { line: 1, character: 0 }, end: { line: 3, character: 0 }, text: '    """New."""\n',
    });
    const lines = ['def f():', '    """Old."""'];
    expect(docstringEdit({ line: 2, indent: '    ', replaces: { startLine: 2, endLine: 2 }, anchor: '"""Old."""' }, '    """New."""', lines.length, len(lines))).toEqual({
      start: { line: 1, character: 0 }, end: { line: 1, character: 14 }, text: '    """New."""',
    });
  });
});
