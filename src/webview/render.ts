import type { CitationWire, SourceWire } from '../shared/types';
import { citationChip, chip, sourceChip } from './chips';
import { shortNames } from './shortNames';
import { button, el, post } from './dom';
import { highlightInto } from './highlight';
import type { Block, Inline } from './markdown';

/** What citations in the text resolve to: the checked citations once the answer is done, the sources while it streams. */
export interface CiteContext {
  readonly citations: readonly CitationWire[];
  readonly sources: readonly SourceWire[];
  readonly names: ReadonlyMap<string, string>;
}

export function citeContext(citations: readonly CitationWire[], sources: readonly SourceWire[]): CiteContext {
  return { citations, sources, names: shortNames([...sources.map((s) => s.path), ...citations.map((c) => c.path)]) };
}

function renderInline(parent: HTMLElement, inline: Inline, ctx: CiteContext): void {
  switch (inline.type) {
    case 'text':
      parent.append(document.createTextNode(inline.text));
      return;
    case 'code':
      parent.append(el('code', undefined, inline.text));
      return;
    case 'break':
      parent.append(el('br'));
      return;
    case 'strong':
    case 'em':
    case 'strike': {
      const node = el(inline.type === 'strong' ? 'strong' : inline.type === 'em' ? 'em' : 's');
      renderInlines(node, inline.children, ctx);
      parent.append(node);
      return;
    }
    case 'link': {
      // http(s) only (the parser drops other targets); the webview host opens it in the browser.
      const node = inline.href === '' ? el('span') : el('a');
      if (node instanceof HTMLAnchorElement) {
        node.href = inline.href;
        node.title = inline.href;
      }
      renderInlines(node, inline.children, ctx);
      parent.append(node);
      return;
    }
    case 'cite': {
      const citation = ctx.citations.find((c) => c.n === inline.n);
      const source = ctx.sources.find((s) => s.n === inline.n);
      if (citation !== undefined) parent.append(citationChip(citation, ctx.names));
      else if (source !== undefined) parent.append(sourceChip(source, ctx.names));
      else parent.append(document.createTextNode(`[${inline.n}]`));
      return;
    }
    case 'range': {
      const c = ctx.citations.find((x) => x.n === null && x.path === inline.path && x.startLine === inline.startLine);
      const s = ctx.sources.find((x) => x.path === inline.path);
      if (c !== undefined) parent.append(citationChip(c, ctx.names));
      else if (s !== undefined) parent.append(chip({ path: s.path, file: s.file, startLine: inline.startLine, endLine: inline.endLine }, ctx.names, 'source', 'a range of a source', null));
      else parent.append(document.createTextNode(inline.text));
      return;
    }
  }
}

export function renderInlines(parent: HTMLElement, inlines: readonly Inline[], ctx: CiteContext): void {
  for (const inline of inlines) renderInline(parent, inline, ctx);
}

/** A code block with its language, Copy, Insert at Cursor and a wrap toggle; highlighted when the language is known. */
export function codeBlock(text: string, language: string): HTMLElement {
  const root = el('div', 'code-block');
  const head = el('div', 'code-head');
  // Wrapped by default (the side panel is narrow); unwrapped shows the real indentation, scrolling sideways.
  const pre = el('pre', 'wrap');
  const code = el('code', language === '' ? undefined : `language-${language}`);
  highlightInto(code, text, language);
  pre.append(code);
  const wrap = button('Wrap', 'code-action', () => {
    const on = !pre.classList.contains('wrap');
    pre.classList.toggle('wrap', on);
    wrap.setAttribute('aria-pressed', String(on));
  }, 'Wrap long lines (on) or scroll sideways (off)');
  wrap.setAttribute('aria-pressed', 'true');
  head.append(
    el('span', 'code-lang', language === '' ? 'code' : language),
    button('Copy', 'code-action', () => post({ type: 'copyText', text }), 'Copy this code'),
    button('Insert', 'code-action', () => post({ type: 'insertCode', text }), 'Insert this code at the cursor of the editor you were in'),
    wrap,
  );
  root.append(head, pre);
  return root;
}

export function renderBlocks(parent: HTMLElement, blocks: readonly Block[], ctx: CiteContext): void {
  for (const block of blocks) {
    switch (block.type) {
      case 'code':
        parent.append(codeBlock(block.text, block.language));
        break;
      case 'list': {
        const list = el(block.ordered ? 'ol' : 'ul');
        if (list instanceof HTMLOListElement && block.start !== 1) list.start = block.start;
        for (const item of block.items) {
          const li = el('li');
          renderBlocks(li, item, ctx);
          list.append(li);
        }
        parent.append(list);
        break;
      }
      case 'quote': {
        const quote = el('blockquote');
        renderBlocks(quote, block.blocks, ctx);
        parent.append(quote);
        break;
      }
      case 'table': {
        const wrapper = el('div', 'table-scroll');
        const table = el('table');
        const cell = (tag: 'th' | 'td', inlines: readonly Inline[], i: number): HTMLElement => {
          const node = el(tag, block.align[i] === '' || block.align[i] === undefined ? undefined : `align-${block.align[i]}`);
          renderInlines(node, inlines, ctx);
          return node;
        };
        const headRow = el('tr');
        block.head.forEach((h, i) => headRow.append(cell('th', h, i)));
        const thead = el('thead');
        thead.append(headRow);
        const tbody = el('tbody');
        for (const row of block.rows) {
          const tr = el('tr');
          row.forEach((c, i) => tr.append(cell('td', c, i)));
          tbody.append(tr);
        }
        table.append(thead, tbody);
        wrapper.append(table);
        parent.append(wrapper);
        break;
      }
      case 'rule':
        parent.append(el('hr'));
        break;
      case 'heading': {
        // Answers sit under the panel's own headings: their levels start at h3.
        const node = el(block.level <= 2 ? 'h3' : block.level === 3 ? 'h4' : 'h5');
        renderInlines(node, block.inlines, ctx);
        parent.append(node);
        break;
      }
      case 'paragraph': {
        const node = el('p');
        renderInlines(node, block.inlines, ctx);
        parent.append(node);
        break;
      }
    }
  }
}
