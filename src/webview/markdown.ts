import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { splitMentions } from '../shared/citationGrammar';

/**
 * Answers' Markdown (CommonMark + GFM tables and strikethrough, through markdown-it) parsed to a
 * tree of our own: the webview builds DOM nodes from it with textContent, so nothing in an answer
 * can inject markup (raw HTML in an answer stays text). Citations (`[n]`, `path:10-20`) are found
 * with the groundedness check's grammar.
 */

export type Inline =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'code'; readonly text: string }
  | { readonly type: 'strong' | 'em' | 'strike'; readonly children: readonly Inline[] }
  /** Only http(s) links keep their target (href is '' for any other: shown as its text). */
  | { readonly type: 'link'; readonly href: string; readonly children: readonly Inline[] }
  | { readonly type: 'break' }
  /** `[n]`: a numbered source. */
  | { readonly type: 'cite'; readonly n: number }
  /** `path:10-20`: a range named in the text. */
  | { readonly type: 'range'; readonly path: string; readonly startLine: number; readonly endLine: number; readonly text: string };

export type Align = 'left' | 'center' | 'right' | '';

export type Block =
  | { readonly type: 'paragraph'; readonly inlines: readonly Inline[] }
  | { readonly type: 'heading'; readonly level: number; readonly inlines: readonly Inline[] }
  | { readonly type: 'quote'; readonly blocks: readonly Block[] }
  | { readonly type: 'list'; readonly ordered: boolean; readonly start: number; readonly items: ReadonlyArray<readonly Block[]> }
  | { readonly type: 'code'; readonly language: string; readonly text: string }
  | { readonly type: 'table'; readonly align: readonly Align[]; readonly head: ReadonlyArray<readonly Inline[]>; readonly rows: ReadonlyArray<ReadonlyArray<readonly Inline[]>> }
  | { readonly type: 'rule' };

const md = new MarkdownIt('commonmark', { html: false, linkify: false, breaks: false }).enable(['table', 'strikethrough']);

/**
 * Citations are taken out before Markdown sees them: `__init__.py:3` would become bold `init` and
 * `[1]: x` at a line's start a link definition. Each becomes a private-use placeholder that no
 * Markdown rule touches, and is put back (as a citation, or as its text inside code).
 */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

interface Protected {
  readonly text: string;
  readonly mentions: ReturnType<typeof splitMentions>;
}

function protect(source: string): Protected {
  const pieces = splitMentions(source.replace(/[\uE000\uE001]/g, ''));
  let text = '';
  pieces.forEach((p, i) => {
    text += p.type === 'text' ? p.text : `${OPEN}${i}${CLOSE}`;
  });
  return { text, mentions: pieces };
}

/** Code keeps its citations as they were written. */
function restoreText(text: string, p: Protected): string {
  return text.replace(PLACEHOLDER, (whole, i: string) => p.mentions[Number(i)]?.text ?? whole);
}

function textInlines(text: string, p: Protected): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > last) out.push({ type: 'text', text: text.slice(last, m.index) });
    const mention = p.mentions[Number(m[1])];
    if (mention?.type === 'cite') for (const n of mention.ns) out.push({ type: 'cite', n });
    else if (mention?.type === 'range') out.push(mention);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return out;
}

const SAFE_LINK = /^https?:\/\//i;

/** A code span that is exactly a range (`src/a.ts:3-5`) is a citation too. */
function codeInline(content: string): Inline {
  const pieces = splitMentions(content);
  const only = pieces.length === 1 ? pieces[0] : undefined;
  return only?.type === 'range' ? only : { type: 'code', text: content };
}

function parseInlines(tokens: readonly Token[], p: Protected): Inline[] {
  const root: Inline[] = [];
  // Open containers: where children go until their closing token.
  const stack: Array<{ close: string; make: (children: Inline[]) => Inline; children: Inline[] }> = [];
  const into = (): Inline[] => stack[stack.length - 1]?.children ?? root;
  for (const t of tokens) {
    switch (t.type) {
      case 'text':
        into().push(...textInlines(t.content, p));
        break;
      case 'code_inline':
        into().push(codeInline(restoreText(t.content, p)));
        break;
      case 'softbreak':
        into().push({ type: 'text', text: ' ' });
        break;
      case 'hardbreak':
        into().push({ type: 'break' });
        break;
      case 'image':
        into().push(...textInlines(t.content, p));
        break;
      case 'strong_open':
        stack.push({ close: 'strong_close', make: (children) => ({ type: 'strong', children }), children: [] });
        break;
      case 'em_open':
        stack.push({ close: 'em_close', make: (children) => ({ type: 'em', children }), children: [] });
        break;
      case 's_open':
        stack.push({ close: 's_close', make: (children) => ({ type: 'strike', children }), children: [] });
        break;
      case 'link_open': {
        const href = restoreText(t.attrGet('href') ?? '', p);
        stack.push({ close: 'link_close', make: (children) => ({ type: 'link', href: SAFE_LINK.test(href) ? href : '', children }), children: [] });
        break;
      }
      default: {
        const top = stack[stack.length - 1];
        if (top !== undefined && t.type === top.close) {
          stack.pop();
          into().push(top.make(top.children));
        } else if (t.content !== '') {
          into().push(...textInlines(t.content, p));
        }
      }
    }
  }
  // Unclosed containers (a stream cut mid-emphasis) keep their text.
  while (stack.length > 0) {
    const top = stack.pop();
    if (top !== undefined) into().push(top.make(top.children));
  }
  return root;
}

function alignOf(t: Token): Align {
  const style = t.attrGet('style') ?? '';
  const m = /text-align:\s*(left|center|right)/.exec(style);
  return m?.[1] === 'left' || m?.[1] === 'center' || m?.[1] === 'right' ? m[1] : '';
}

/** Reads blocks from `tokens[i]` until the token named `until` (or the end); returns the index after it. */
function parseBlocks(tokens: readonly Token[], i: number, until: string | null, p: Protected, out: Block[]): number {
  while (i < tokens.length) {
    const t = tokens[i];
    if (t === undefined) break;
    if (until !== null && t.type === until) return i + 1;
    switch (t.type) {
      case 'paragraph_open': {
        const inline = tokens[i + 1];
        out.push({ type: 'paragraph', inlines: parseInlines(inline?.children ?? [], p) });
        i += 3;
        continue;
      }
      case 'heading_open': {
        const inline = tokens[i + 1];
        out.push({ type: 'heading', level: Number(t.tag.slice(1)) || 3, inlines: parseInlines(inline?.children ?? [], p) });
        i += 3;
        continue;
      }
      case 'blockquote_open': {
        const blocks: Block[] = [];
        i = parseBlocks(tokens, i + 1, 'blockquote_close', p, blocks);
        out.push({ type: 'quote', blocks });
        continue;
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const ordered = t.type === 'ordered_list_open';
        const close = ordered ? 'ordered_list_close' : 'bullet_list_close';
        const items: Block[][] = [];
        i++;
        while (i < tokens.length && tokens[i]?.type !== close) {
          if (tokens[i]?.type === 'list_item_open') {
            const item: Block[] = [];
            i = parseBlocks(tokens, i + 1, 'list_item_close', p, item);
            items.push(item);
          } else {
            i++;
          }
        }
        out.push({ type: 'list', ordered, start: Number(t.attrGet('start') ?? '1') || 1, items });
        i++;
        continue;
      }
      case 'fence':
      case 'code_block':
        out.push({ type: 'code', language: (t.info.trim().split(/\s+/)[0] ?? '').toLowerCase(), text: restoreText(t.content.replace(/\n$/, ''), p) });
        break;
      case 'hr':
        out.push({ type: 'rule' });
        break;
      case 'table_open': {
        const align: Align[] = [];
        const head: Inline[][] = [];
        const rows: Inline[][][] = [];
        let inHead = false;
        let row: Inline[][] = [];
        for (i++; i < tokens.length && tokens[i]?.type !== 'table_close'; i++) {
          const c = tokens[i];
          if (c === undefined) break;
          if (c.type === 'thead_open') inHead = true;
          else if (c.type === 'thead_close') inHead = false;
          else if (c.type === 'tr_open') row = [];
          else if (c.type === 'tr_close') {
            if (inHead) head.push(...row);
            else rows.push(row);
          } else if (c.type === 'th_open' || c.type === 'td_open') {
            if (inHead) align.push(alignOf(c));
            row.push(parseInlines(tokens[i + 1]?.type === 'inline' ? (tokens[i + 1]?.children ?? []) : [], p));
          }
        }
        out.push({ type: 'table', align, head, rows });
        break;
      }
      case 'inline':
        out.push({ type: 'paragraph', inlines: parseInlines(t.children ?? [], p) });
        break;
      default:
        break;
    }
    i++;
  }
  return i;
}

export function parseMarkdown(source: string): Block[] {
  const p = protect(source.replace(/\r\n?/g, '\n'));
  const out: Block[] = [];
  parseBlocks(md.parse(p.text, {}), 0, null, p, out);
  return out;
}

/** The text of inlines (a chip's neighbours, a heading's accessible name, tests). */
export function inlineText(inlines: readonly Inline[]): string {
  return inlines.map((i) => {
    if (i.type === 'text' || i.type === 'code' || i.type === 'range') return i.text;
    if (i.type === 'cite') return `[${i.n}]`;
    if (i.type === 'break') return '\n';
    return inlineText(i.children);
  }).join('');
}
