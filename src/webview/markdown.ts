/**
 * The small Markdown the answers use, parsed to a tree (no HTML strings anywhere: the webview builds
 * DOM nodes from it with textContent, so nothing in an answer can inject markup).
 */

export type Inline =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'code'; readonly text: string }
  | { readonly type: 'strong'; readonly text: string }
  /** `[n]`: a numbered source. */
  | { readonly type: 'cite'; readonly n: number }
  /** `path:10-20`: a range named in the text. */
  | { readonly type: 'range'; readonly path: string; readonly startLine: number; readonly endLine: number; readonly text: string };

export type Block =
  | { readonly type: 'paragraph'; readonly inlines: readonly Inline[] }
  | { readonly type: 'heading'; readonly inlines: readonly Inline[] }
  | { readonly type: 'quote'; readonly inlines: readonly Inline[] }
  | { readonly type: 'list'; readonly ordered: boolean; readonly items: ReadonlyArray<readonly Block[]> }
  | { readonly type: 'code'; readonly language: string; readonly text: string };

const INLINE = /(`[^`\n]+`)|(\*\*[^*\n]+\*\*)|(\[\d+(?:\s*[,;]\s*\d+)*\])|([\w@.\-/]+\.[A-Za-z0-9]+):(\d+)(?:-(\d+))?/g;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const at = m.index;
    if (at > last) out.push({ type: 'text', text: text.slice(last, at) });
    const [whole, code, strong, cites, rangePath, start, end] = m;
    if (code !== undefined) out.push({ type: 'code', text: code.slice(1, -1) });
    else if (strong !== undefined) out.push({ type: 'strong', text: strong.slice(2, -2) });
    else if (cites !== undefined) for (const n of cites.slice(1, -1).split(/[,;]/)) out.push({ type: 'cite', n: Number(n.trim()) });
    else if (rangePath !== undefined) out.push({ type: 'range', path: rangePath, startLine: Number(start), endLine: end === undefined ? Number(start) : Number(end), text: whole });
    last = at + whole.length;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return out;
}

const FENCE = /^\s*(```|~~~)\s*([\w+-]*)\s*$/;
const BULLET = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/;

/** Removes up to `n` leading spaces: list items' code blocks are indented under the bullet. */
function dedent(line: string, n: number): string {
  let i = 0;
  while (i < n && line[i] === ' ') i++;
  return line.slice(i);
}

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ type: 'paragraph', inlines: parseInline(paragraph.join(' ')) });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line);
    if (fence !== null) {
      flush();
      const indent = line.length - line.trimStart().length;
      const body: string[] = [];
      for (i++; i < lines.length && !/^\s*(```|~~~)\s*$/.test(lines[i] ?? ''); i++) body.push(dedent(lines[i] ?? '', indent));
      blocks.push({ type: 'code', language: fence[2] ?? '', text: body.join('\n') });
      continue;
    }
    const bullet = BULLET.exec(line);
    if (bullet !== null) {
      flush();
      const ordered = /\d/.test(bullet[2] ?? '');
      const items: Block[][] = [];
      // An item runs until the next bullet at the same depth or a line back at the margin.
      while (i < lines.length) {
        const b = BULLET.exec(lines[i] ?? '');
        if (b === null) break;
        const body = [b[3] ?? ''];
        for (i++; i < lines.length; i++) {
          const next = lines[i] ?? '';
          if (BULLET.test(next) && !/^\s{2,}/.test(next)) break;
          if (next.trim() !== '' && !/^\s/.test(next)) break;
          body.push(dedent(next, 2));
        }
        items.push(parseMarkdown(body.join('\n')));
      }
      i--;
      blocks.push({ type: 'list', ordered, items });
      continue;
    }
    if (line.trim() === '') {
      flush();
    } else if (/^#{1,6}\s/.test(line)) {
      flush();
      blocks.push({ type: 'heading', inlines: parseInline(line.replace(/^#+\s*/, '')) });
    } else if (/^\s*>/.test(line)) {
      flush();
      blocks.push({ type: 'quote', inlines: parseInline(line.replace(/^\s*>\s?/, '')) });
    } else {
      paragraph.push(line.trim());
    }
  }
  flush();
  return blocks;
}
