import type { DocPlacement } from '../../shared/types';
import { findDocComment } from '../text/docComments';
import type { Chunk, LanguageId } from '../types';

const indentOf = (line: string): string => /^[ \t]*/.exec(line)?.[0] ?? '';
const PY_HEADER = /^\s*(async\s+)?(def|class)\s/;
/** A header line that ends the signature: `:` outside brackets, then at most a comment. */
const PY_HEADER_END = /:\s*(#.*)?$/;

/**
 * Python docstrings are the body's first statement: below the whole signature (which may span lines),
 * indented like the body. Null for a one-line definition (`def f(): return 1`), where a docstring
 * cannot go without reformatting the code.
 */
function pythonPlacement(lines: readonly string[], startLine: number): DocPlacement | null {
  const def = lines.findIndex((l) => PY_HEADER.test(l));
  if (def < 0) return null;
  let depth = 0;
  for (let i = def; i < lines.length; i++) {
    const line = lines[i] ?? '';
    for (const ch of line.replace(/#.*$/, '')) depth += ch === '(' || ch === '[' || ch === '{' ? 1 : ch === ')' || ch === ']' || ch === '}' ? -1 : 0;
    if (depth > 0 || !PY_HEADER_END.test(line)) continue;
    let body = i + 1;
    while (body < lines.length && (lines[body] ?? '').trim() === '') body++;
    const bodyLine = lines[body];
    const defIndent = indentOf(lines[def] ?? '');
    const indent = bodyLine === undefined || indentOf(bodyLine).length <= defIndent.length ? `${defIndent}    ` : indentOf(bodyLine);
    return { line: startLine + i + 1, indent, replaces: null, anchor: (lines[i + 1] ?? '').trim() };
  }
  return null;
}

/** Where the doc comment of `unit` goes, in the file whose text `unit` was chunked from. */
export function docPlacement(unit: Pick<Chunk, 'text' | 'startLine'>, language: LanguageId | null): DocPlacement | null {
  const lines = unit.text.split('\n');
  const existing = findDocComment(unit.text);
  if (existing !== null) {
    const startLine = unit.startLine + existing.docStart;
    const first = lines[existing.docStart] ?? '';
    return { line: startLine, indent: indentOf(first), replaces: { startLine, endLine: unit.startLine + existing.docEnd }, anchor: first.trim() };
  }
  if (language === 'python') return pythonPlacement(lines, unit.startLine);
  const first = lines.findIndex((l) => l.trim() !== '');
  return first < 0 ? null : { line: unit.startLine + first, indent: indentOf(lines[first] ?? ''), replaces: null, anchor: (lines[first] ?? '').trim() };
}
