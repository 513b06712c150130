/**
 * The artefact inside a model's reply — the doc comment to insert, the commit message to use —
 * without what models wrap around it however they are asked: a preamble ("Here is the doc
 * comment:"), a code fence, notes after it, `[n]` citation markers. A doc comment must be in the
 * file's comment syntax; what is not gives a reason instead, and nothing is inserted.
 */
import { languageNameOf } from '../walk/fileKinds';

export type Extracted = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

interface CommentSyntax {
  /** Line comments that make a doc comment (`///`, `# `, `-- |`), longest first. */
  readonly lines: readonly string[];
  /** Block comments: opener, closer. */
  readonly blocks: ReadonlyArray<readonly [string, string]>;
  /** What a reader should be told the comment looks like. */
  readonly shown: string;
}

const C_LIKE: CommentSyntax = { lines: ['///', '//!', '//'], blocks: [['/**', '*/'], ['/*', '*/']], shown: '/** … */ or // lines' };
const SYNTAX: Readonly<Record<string, CommentSyntax>> = {
  typescript: C_LIKE, javascript: C_LIKE, java: C_LIKE, kotlin: C_LIKE, scala: C_LIKE, php: C_LIKE, swift: C_LIKE, c: C_LIKE, cpp: C_LIKE,
  csharp: { lines: ['///', '//'], blocks: [['/**', '*/']], shown: '/// lines' },
  rust: { lines: ['///', '//!'], blocks: [['/**', '*/']], shown: '/// lines' },
  go: { lines: ['//'], blocks: [['/*', '*/']], shown: '// lines' },
  python: { lines: [], blocks: [['"""', '"""'], ["'''", "'''"], ['r"""', '"""']], shown: 'a """docstring"""' },
  ruby: { lines: ['#'], blocks: [['=begin', '=end']], shown: '# lines' },
  shell: { lines: ['#'], blocks: [], shown: '# lines' },
  elixir: { lines: ['#'], blocks: [['@doc """', '"""'], ['@moduledoc """', '"""']], shown: '@doc """ … """' },
  haskell: { lines: ['-- |', '--'], blocks: [['{-|', '-}']], shown: '-- | lines' },
  lua: { lines: ['---', '--'], blocks: [['--[[', ']]']], shown: '--- lines' },
  erlang: { lines: ['%%', '%'], blocks: [], shown: '%% lines' },
  ocaml: { lines: [], blocks: [['(**', '*)']], shown: '(** … *)' },
};

/** The contents of each fenced code block, in order. */
function fencedBlocks(reply: string): string[] {
  return [...reply.matchAll(/^[ \t]*(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n[ \t]*\1[ \t]*$/gm)].map((m) => m[2] ?? '');
}

/** `[1]`, `[2][3]` as answers cite sources (after a space or punctuation); `[n]` glued to a name (`items[1]`) is code and stays. */
function withoutCitationMarkers(text: string): string {
  return text
    .replace(/[ \t]+(?:\[\d{1,2}\])+(?=[\s.,;:!?)]|$)/gm, '')
    .replace(/(?<=^|[.,;:!?)])(?:\[\d{1,2}\])+(?=[\s.,;:!?)]|$)/gm, '')
    .replace(/[ \t]+$/gm, '');
}

/** The first doc comment in `text` in this syntax, as whole lines, or null. */
function firstComment(text: string, syntax: CommentSyntax): string | null {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const trimmed = (lines[i] ?? '').trim();
    const block = syntax.blocks.find(([open]) => trimmed.startsWith(open));
    if (block !== undefined) {
      const [open, close] = block;
      for (let j = i; j < lines.length; j++) {
        const line = (lines[j] ?? '').trim();
        const body = j === i ? line.slice(open.length) : line;
        if (body.includes(close)) return lines.slice(i, j + 1).join('\n');
      }
      return null;
    }
    const prefix = syntax.lines.find((p) => trimmed.startsWith(p));
    if (prefix !== undefined) {
      let j = i;
      while (j + 1 < lines.length && syntax.lines.some((p) => (lines[j + 1] ?? '').trim().startsWith(p))) j++;
      return lines.slice(i, j + 1).join('\n');
    }
  }
  return null;
}

/** The doc comment in a reply, for the file at `relPath`: in that language's comment syntax, or a reason. */
export function extractDocComment(reply: string, relPath: string): Extracted {
  const language = languageNameOf(relPath.slice(relPath.lastIndexOf('/') + 1)) ?? '';
  const syntax = SYNTAX[language];
  if (syntax === undefined) return { ok: false, reason: `Sourceline does not know the comment syntax of ${relPath}` };
  for (const candidate of [...fencedBlocks(reply), reply]) {
    const comment = firstComment(candidate, syntax);
    if (comment !== null) return { ok: true, text: withoutCitationMarkers(comment).replace(/\n{2,}$/g, '').trimEnd() };
  }
  return { ok: false, reason: `the reply holds no doc comment in ${language}'s syntax (${syntax.shown})` };
}

/** A line that introduces the artefact rather than being part of it. */
const PREAMBLE = /^(here('s| is| are)|sure|certainly|of course|below is|the following|i('ve| have) (written|drafted))\b[^\n]*[:.]\s*$/i;
/** A paragraph about the message rather than of it. */
const AFTERWORD = /^(note\b|notes\b|this (message|commit message|follows)|i (followed|used|kept|matched)|it follows|following the|the message (follows|uses)|conventions?\b)/i;

/** The commit message in a reply: the fenced block if there is one, else the reply without preamble and afterword; no citation markers. */
export function extractCommitMessage(reply: string): Extracted {
  const fenced = fencedBlocks(reply)[0];
  let text = fenced ?? reply;
  if (fenced === undefined) {
    const paragraphs = text.trim().split(/\n[ \t]*\n/);
    while (paragraphs.length > 1 && PREAMBLE.test((paragraphs[0] ?? '').trim())) paragraphs.shift();
    const firstLines = (paragraphs[0] ?? '').split('\n');
    if (firstLines.length > 1 && PREAMBLE.test((firstLines[0] ?? '').trim())) paragraphs[0] = firstLines.slice(1).join('\n');
    while (paragraphs.length > 1 && AFTERWORD.test((paragraphs[paragraphs.length - 1] ?? '').trim())) paragraphs.pop();
    text = paragraphs.join('\n\n');
  }
  const message = withoutCitationMarkers(text).replace(/^\s*(?:\*\*|__)?(?:suggested )?(?:commit message|message):?(?:\*\*|__)?:?[ \t]*\n/i, '').trim();
  return message === '' ? { ok: false, reason: 'the reply holds no commit message' } : { ok: true, text: message };
}
