/**
 * The units of code a training pair can point at, in any language: the syntax chunker's functions,
 * methods, classes and types where a tree-sitter grammar exists, and, for the languages indexed by
 * line windows (Ruby, PHP, Kotlin, Scala, Swift, Haskell, Lua, Elixir, Erlang, OCaml, shell), the
 * span from one definition line (src/engine/chunk/definitions.ts) to the next, with the comment
 * block written above it. Each unit's text is what the index embeds for it, without its comment.
 */
import { chunkFile } from '../../src/engine/chunk/chunkFile';
import { definitionsIn } from '../../src/engine/chunk/definitions';
import { embedTextOf } from '../../src/engine/store/indexStore';
import { docQuery, splitDocComment } from '../../src/engine/text/docComments';
import type { LanguageId } from '../../src/engine/types';

export interface Unit {
  readonly relPath: string;
  /** 1-based, inclusive, of the code (the comment excluded). */
  readonly startLine: number;
  readonly endLine: number;
  /** The defined name, last part (`parseQuery` of `Parser.parseQuery`). */
  readonly name: string;
  /** What the index embeds: context header and code, the doc comment removed. */
  readonly text: string;
  /** The doc comment as a query (two sentences at most), or null without one. */
  readonly doc: string | null;
  /** Trimmed code lines, to match a commit's added lines against. */
  readonly lines: ReadonlySet<string>;
}

export interface SourceText {
  readonly relPath: string;
  readonly text: string;
  readonly language: LanguageId | null;
}

const TREE_UNIT_KINDS: ReadonlySet<string> = new Set(['function', 'method', 'class', 'type']);
/** A pattern unit ends at the next definition or after this many lines. */
const MAX_PATTERN_UNIT_LINES = 60;
const MIN_DOC_WORDS = 4;

function lineSet(text: string): Set<string> {
  return new Set(text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0));
}

function queryOf(doc: string): string | null {
  const q = docQuery(doc);
  return q.split(' ').filter((w) => /[A-Za-z]{2,}/.test(w)).length >= MIN_DOC_WORDS ? q : null;
}

async function treeUnits(file: SourceText): Promise<Unit[]> {
  const out: Unit[] = [];
  for (const chunk of await chunkFile(file)) {
    if (!TREE_UNIT_KINDS.has(chunk.kind)) continue;
    const split = splitDocComment(chunk.text);
    const code = split?.code ?? chunk.text;
    const codeStart = split !== null && split.docStart === 0 ? chunk.startLine + split.docEnd + 1 : chunk.startLine;
    out.push({
      relPath: file.relPath,
      startLine: codeStart,
      endLine: chunk.endLine,
      name: chunk.symbol.split(/[.,]\s*/).pop() ?? '',
      text: embedTextOf({ context: chunk.context, text: code }),
      doc: split === null ? null : queryOf(split.doc),
      lines: lineSet(code),
    });
  }
  return out;
}

/** Comment syntaxes of the pattern languages: line prefixes and block delimiters. */
const LINE_COMMENT = /^\s*(\/\/\/?|#+(?!\[)|--+\s*[|^]?|%+|;+|")/;
const BLOCK_CLOSE: ReadonlyArray<readonly [RegExp, RegExp]> = [
  [/\*\/\s*$/, /^\s*\/\*/],
  [/-\}\s*$/, /^\s*\{-/],
  [/\*\)\s*$/, /^\s*\(\*/],
  [/^\s*"""\s*$/, /^\s*@(?:doc|typedoc)\s+(?:~[sS])?"""/],
];
/** Lines between a comment and its definition: annotations, attributes, specs. */
const BETWEEN = /^\s*(@\w+|#\[|\[<?[A-Z]\w*|-spec\b|@spec\b|@impl\b|@decorator)/;

/** The comment block ending just above row `at` (0-based), as [first, last] rows, or null. */
function commentAbove(lines: readonly string[], at: number): [number, number] | null {
  let last = at - 1;
  while (last >= 0 && BETWEEN.test(lines[last] ?? '') && !/^\s*@(doc|typedoc)\b/.test(lines[last] ?? '')) last--;
  if (last < 0) return null;
  const lastLine = lines[last] ?? '';
  for (const [close, open] of BLOCK_CLOSE) {
    if (!close.test(lastLine)) continue;
    for (let i = last; i >= Math.max(0, last - 80); i--) {
      if (open.test(lines[i] ?? '') && (i < last || !close.source.startsWith('^'))) return [i, last];
    }
    return null;
  }
  if (!LINE_COMMENT.test(lastLine)) return null;
  let first = last;
  while (first > 0 && LINE_COMMENT.test(lines[first - 1] ?? '')) first--;
  return [first, last];
}

/** Comment lines with their markers removed, in the form docQuery reads. */
function commentProse(lines: readonly string[]): string {
  return lines
    .map((l) => l.replace(/^\s*(@(?:doc|typedoc)\s+(?:~[sS])?"""|"""|\{-\s*\|?|\(\*\*?|\/\*\*?|\*\/|\*|\/\/\/?|--+\s*[|^]?|%+\s*(@doc)?|;+|"|#+)/, '').replace(/(-\}|\*\)|"""|\*\/)\s*$/, ''))
    .map((l) => `// ${l.trim()}`)
    .join('\n');
}

function patternUnits(file: SourceText): Unit[] {
  const lines = file.text.split('\n');
  const defs = definitionsIn(file.relPath, file.text, 0);
  const out: Unit[] = [];
  defs.forEach((def, i) => {
    const next = defs[i + 1]?.line ?? lines.length;
    const end = Math.min(next - 1, def.line + MAX_PATTERN_UNIT_LINES - 1, lines.length - 1);
    if (end - def.line < 1) return;
    const code = lines.slice(def.line, end + 1).join('\n');
    const comment = commentAbove(lines, def.line);
    const doc = comment === null ? null : queryOf(commentProse(lines.slice(comment[0], comment[1] + 1)));
    out.push({
      relPath: file.relPath,
      startLine: def.line + 1,
      endLine: end + 1,
      name: def.name,
      text: embedTextOf({ context: [file.relPath, lines[def.line]?.trim() ?? ''].join('\n'), text: code }),
      doc,
      lines: lineSet(code),
    });
  });
  return out;
}

/** The units of one source file: syntax units where a grammar exists, definition spans elsewhere. */
export async function unitsOf(file: SourceText): Promise<Unit[]> {
  if (file.language === 'markdown') return [];
  return file.language === null ? patternUnits(file) : treeUnits(file);
}
