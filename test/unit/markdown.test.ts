import { describe, expect, it } from 'vitest';
import { inlineText, parseMarkdown, type Block, type Inline } from '../../src/webview/markdown';

function paragraph(blocks: readonly Block[], i = 0): readonly Inline[] {
  const b = blocks[i];
  if (b?.type !== 'paragraph') throw new Error(`block ${i} is ${b?.type ?? 'missing'}`);
  return b.inlines;
}

describe('the chat panel markdown', () => {
  it('finds citations, ranges, code and emphasis inside a line', () => {
    expect(paragraph(parseMarkdown('`refreshSession` renews **the token** [1, 2] (see src/session.ts:40-72).'))).toEqual([
      { type: 'code', text: 'refreshSession' },
      { type: 'text', text: ' renews ' },
      { type: 'strong', children: [{ type: 'text', text: 'the token' }] },
      { type: 'text', text: ' ' },
      { type: 'cite', n: 1 },
      { type: 'cite', n: 2 },
      { type: 'text', text: ' (see ' },
      { type: 'range', path: 'src/session.ts', startLine: 40, endLine: 72, text: 'src/session.ts:40-72' },
      { type: 'text', text: ').' },
    ]);
    expect(paragraph(parseMarkdown('app.ts:7'))).toEqual([{ type: 'range', path: 'app.ts', startLine: 7, endLine: 7, text: 'app.ts:7' }]);
  });

  it('keeps paths that Markdown would read as emphasis or link definitions as citations', () => {
    expect(paragraph(parseMarkdown('see pkg/__init__.py:3-9 and pkg/__main__.py:1'))).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'range', path: 'pkg/__init__.py', startLine: 3, endLine: 9, text: 'pkg/__init__.py:3-9' },
      { type: 'text', text: ' and ' },
      { type: 'range', path: 'pkg/__main__.py', startLine: 1, endLine: 1, text: 'pkg/__main__.py:1' },
    ]);
    expect(paragraph(parseMarkdown('[1]: the session is refreshed here'))[0]).toEqual({ type: 'cite', n: 1 });
    // A range written as code is a citation; other code keeps its text, citations included.
    expect(paragraph(parseMarkdown('`src/a.ts:3-5`'))).toEqual([{ type: 'range', path: 'src/a.ts', startLine: 3, endLine: 5, text: 'src/a.ts:3-5' }]);
    expect(parseMarkdown('```ts\nconst x = items[1]; // src/a.ts:3\n```')).toEqual([{ type: 'code', language: 'ts', text: 'const x = items[1]; // src/a.ts:3' }]);
  });

  it('parses the sources-only answer: a quote, file headings, bullets with indented code', () => {
    const blocks = parseMarkdown([
      '> Sources only: no language model is configured.',
      '',
      '**src/session.ts**',
      '- `refreshSession`: Refreshes a session token. [1]',
      '  ```ts',
      '  export function refreshSession(token: string) {',
      '    return token;',
      '  ```',
      '- `revokeSession` (src/session.ts:9-12) matches the question. [2]',
    ].join('\n'));
    expect(blocks.map((b) => b.type)).toEqual(['quote', 'paragraph', 'list']);
    const list = blocks[2];
    if (list?.type !== 'list') throw new Error('expected a list');
    expect(list.items).toHaveLength(2);
    expect(list.items[0]?.[1]).toEqual({ type: 'code', language: 'ts', text: 'export function refreshSession(token: string) {\n  return token;' });
    expect(list.items[1]?.[0]).toMatchObject({ type: 'paragraph' });
  });

  it('reads GFM tables with their alignment, nested lists, links and strikethrough', () => {
    const blocks = parseMarkdown('| name | lines |\n|:--|--:|\n| `a` | [1] |\n\n1. one\n   - inner\n2. ~~two~~ [docs](https://example.com/x)');
    expect(blocks[0]).toEqual({
      type: 'table', align: ['left', 'right'],
      head: [[{ type: 'text', text: 'name' }], [{ type: 'text', text: 'lines' }]],
      rows: [[[{ type: 'code', text: 'a' }], [{ type: 'cite', n: 1 }]]],
    });
    const list = blocks[1];
    if (list?.type !== 'list') throw new Error('expected a list');
    expect(list.ordered).toBe(true);
    expect(list.items[0]?.[1]).toMatchObject({ type: 'list', ordered: false });
    expect(paragraph(list.items[1] ?? [])).toEqual([
      { type: 'strike', children: [{ type: 'text', text: 'two' }] },
      { type: 'text', text: ' ' },
      { type: 'link', href: 'https://example.com/x', children: [{ type: 'text', text: 'docs' }] },
    ]);
  });

  it('keeps markup in an answer as text, and links other than http(s) without their target', () => {
    expect(inlineText(paragraph(parseMarkdown('<img src=x onerror=alert(1)> and <script>')))).toBe('<img src=x onerror=alert(1)> and <script>');
    expect(paragraph(parseMarkdown('[click](javascript:alert(1))'))).toEqual([{ type: 'text', text: '[click](javascript:alert(1))' }]);
    expect(paragraph(parseMarkdown('[notes](docs/notes.md)'))).toEqual([{ type: 'link', href: '', children: [{ type: 'text', text: 'notes' }] }]);
  });

  it('closes an unterminated code fence at the end (a stream cut mid-block)', () => {
    expect(parseMarkdown('Here:\n```py\ndef f():\n    return 1')).toEqual([
      { type: 'paragraph', inlines: [{ type: 'text', text: 'Here:' }] },
      { type: 'code', language: 'py', text: 'def f():\n    return 1' },
    ]);
  });
});
