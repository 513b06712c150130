import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from '../../src/webview/markdown';

describe('the chat panel markdown', () => {
  it('finds citations, ranges, code and bold inside a line', () => {
    expect(parseInline('`refreshSession` renews **the token** [1, 2] (see src/session.ts:40-72).')).toEqual([
      { type: 'code', text: 'refreshSession' },
      { type: 'text', text: ' renews ' },
      { type: 'strong', text: 'the token' },
      { type: 'text', text: ' ' },
      { type: 'cite', n: 1 },
      { type: 'cite', n: 2 },
      { type: 'text', text: ' (see ' },
      { type: 'range', path: 'src/session.ts', startLine: 40, endLine: 72, text: 'src/session.ts:40-72' },
      { type: 'text', text: ').' },
    ]);
    expect(parseInline('app.ts:7')).toEqual([{ type: 'range', path: 'app.ts', startLine: 7, endLine: 7, text: 'app.ts:7' }]);
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

  it('keeps markup in an answer as text', () => {
    const blocks = parseMarkdown('<img src=x onerror=alert(1)> and <script>');
    expect(blocks).toEqual([{ type: 'paragraph', inlines: [{ type: 'text', text: '<img src=x onerror=alert(1)> and <script>' }] }]);
  });

  it('closes an unterminated code fence at the end (a stream cut mid-block)', () => {
    expect(parseMarkdown('Here:\n```py\ndef f():\n    return 1')).toEqual([
      { type: 'paragraph', inlines: [{ type: 'text', text: 'Here:' }] },
      { type: 'code', language: 'py', text: 'def f():\n    return 1' },
    ]);
  });
});
