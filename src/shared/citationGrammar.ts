/**
 * How an answer cites: `[n]` / `[1, 2]` (numbered sources) and `path:10-20` (a range named in the
 * text). One grammar for the groundedness check (engine/answer/citations.ts) and the chat panel's
 * renderer, so a chip is shown exactly where a citation is checked.
 */

/** `[1]`, `[1, 2]`, `[3; 4]`. */
export const NUMBER_REF = /\[(\d{1,4}(?:\s*[,;]\s*\d{1,4})*)\]/g;
/**
 * `src/a.ts:10-20`. A mention starts where a path can start (not inside a longer run of path
 * characters) and its parts are bounded, so a long answer without spaces is scanned in linear time
 * (an unanchored pattern retried every position of such a run: 18 s for 100 KB).
 */
export const PATH_REF = /(?<![\w@.\-/])([\w@.\-/]{1,300}\.[A-Za-z0-9]{1,12}):(\d{1,7})(?:-(\d{1,7}))?/g;

export type Mention =
  | { readonly type: 'cite'; readonly ns: readonly number[]; readonly text: string }
  | { readonly type: 'range'; readonly path: string; readonly startLine: number; readonly endLine: number; readonly text: string };

export type TextPiece = { readonly type: 'text'; readonly text: string } | Mention;

const EITHER = new RegExp(`${NUMBER_REF.source}|${PATH_REF.source}`, 'g');

/** Splits text into plain runs and the citations in it, in order. */
export function splitMentions(text: string): TextPiece[] {
  const out: TextPiece[] = [];
  let last = 0;
  for (const m of text.matchAll(EITHER)) {
    const at = m.index;
    const [whole, numbers, path, start, end] = m;
    if (at > last) out.push({ type: 'text', text: text.slice(last, at) });
    if (numbers !== undefined) out.push({ type: 'cite', ns: numbers.split(/[,;]/).map((n) => Number(n.trim())), text: whole });
    else out.push({ type: 'range', path: path ?? '', startLine: Number(start), endLine: end === undefined ? Number(start) : Number(end), text: whole });
    last = at + whole.length;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return out;
}
