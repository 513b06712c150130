import type { AnswerKind, AnswerWire, DocPlacement, RouteWire } from '../shared/types';

/**
 * Text helpers of the client that need no VS Code (unit-tested without it): what an answer can be
 * applied as, and how its text is cleaned and placed.
 */

/** What a model-written answer can be applied as; a sources-only answer is for reading, not applying. */
export function applyLabel(kind: AnswerKind, role: RouteWire['role']): string | null {
  if (role === 'sourcesOnly') return null;
  if (kind.type === 'docstring') return 'Insert Docstring';
  if (kind.type === 'commitMessage') return 'Use as Commit Message';
  return null;
}

/** A turn's title once its answer is known: a docstring draft names the unit it documents. */
export function turnTitle(question: string, answer: AnswerWire): string {
  if (answer.kind.type !== 'docstring' || answer.kind.symbol === undefined || answer.kind.symbol === '') return question;
  const at = /^Write Docstring in House Style at (.+)$/.exec(question);
  return at === null ? question : `Write Docstring in House Style for \`${answer.kind.symbol}\` (${at[1] ?? ''})`;
}

/** The text moved to `indent`, keeping its lines' relative indentation (a JSDoc's ` * ` lines). */
export function reindent(text: string, indent: string): string {
  const lines = text.split('\n');
  const margins = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const common = margins.length === 0 ? 0 : Math.min(...margins);
  return lines.map((l) => (l.trim() === '' ? '' : `${indent}${l.slice(common)}`)).join('\n');
}

/** The snippet's line that mentions most of the query's words (identifiers count by their parts). */
export function bestLine(snippet: string, query: string): string {
  const words = query.toLowerCase().split(/[^a-z0-9_$]+/).filter((w) => w.length > 1);
  let best = '';
  let bestScore = -1;
  for (const line of snippet.split('\n')) {
    if (line.trim() === '') continue;
    const lower = line.toLowerCase();
    const score = words.filter((w) => lower.includes(w)).length;
    if (score > bestScore) {
      best = line.trim();
      bestScore = score;
    }
  }
  return best;
}

/**
 * A drafted docstring's placement in the file as it is now: unchanged when its anchor line is still
 * there, shifted to the nearest line with the anchor's text when lines moved above it, null when
 * it cannot be found again (then nothing is inserted blindly). `lineAt` gives a 0-based line's text.
 */
export function relocatePlacement(placement: DocPlacement, lineCount: number, lineAt: (i: number) => string): DocPlacement | null {
  const at = placement.line - 1;
  const textAt = (i: number): string | null => (i >= 0 && i < lineCount ? lineAt(i).trim() : null);
  if (textAt(at) === placement.anchor) return placement;
  // A blank anchor says too little to be searched for.
  if (placement.anchor === '') return null;
  for (let d = 1; d < lineCount; d++) {
    const found = [at - d, at + d].find((i) => textAt(i) === placement.anchor);
    if (found === undefined) continue;
    const delta = found - at;
    const old = placement.replaces;
    return { ...placement, line: placement.line + delta, replaces: old === null ? null : { startLine: old.startLine + delta, endLine: old.endLine + delta } };
  }
  return null;
}

/** One text edit in 0-based positions: replace [start, end) with `text` (start = end: an insertion). */
export interface TextEdit {
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
  readonly text: string;
}

/**
 * The edit that puts `comment` (already indented) at `placement` in a document of `lineCount` lines:
 * inserted before its line, or in place of the old comment's whole lines — up to the end of the
 * document when the old comment is its last line (a file without a final newline).
 */
export function docstringEdit(placement: DocPlacement, comment: string, lineCount: number, lineLength: (i: number) => number): TextEdit {
  const start = { line: placement.line - 1, character: 0 };
  const old = placement.replaces;
  if (old === null) return { start, end: start, text: `${comment}\n` };
  const from = { line: old.startLine - 1, character: 0 };
  if (old.endLine < lineCount) return { start: from, end: { line: old.endLine, character: 0 }, text: `${comment}\n` };
  return { start: from, end: { line: lineCount - 1, character: lineLength(lineCount - 1) }, text: comment };
}
