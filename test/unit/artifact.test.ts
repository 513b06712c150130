import { describe, expect, it } from 'vitest';
import { extractCommitMessage, extractDocComment } from '../../src/engine/answer/artifact';

/** Replies as models write them, asked for the artefact alone or not (collected from real sessions' shapes). */
const DOC_REPLIES: ReadonlyArray<{ file: string; reply: string; want: string }> = [
  {
    file: 'src/session.ts',
    reply: '/** Refreshes a session token shortly before it expires. */\nThe comment follows the one-line JSDoc style of the file [1].',
    want: '/** Refreshes a session token shortly before it expires. */',
  },
  {
    file: 'src/session.ts',
    reply: 'Here is the doc comment:\n\n```ts\n/**\n * Refreshes a session token before it expires [1].\n *\n * @param token - the current token\n * @returns the refreshed token\n */\n```\n\nNote: I used TSDoc tags as in src/auth.ts [2].',
    want: '/**\n * Refreshes a session token before it expires.\n *\n * @param token - the current token\n * @returns the refreshed token\n */',
  },
  {
    file: 'lib/cache.js',
    reply: '```javascript\n/**\n * Returns the cached value for `key`, or computes it with `fn` [1][2].\n */\nfunction fetchOrStore(key, fn) {\n  return cache.get(key) ?? fn();\n}\n```',
    want: '/**\n * Returns the cached value for `key`, or computes it with `fn`.\n */',
  },
  {
    file: 'billing.py',
    reply: 'Sure! Following the house style [1]:\n\n```python\n"""Applies a percentage discount to an amount.\n\nArgs:\n    amount: the price before the discount.\n    percent: 0-100.\n"""\n```\nThis matches the Google style used in invoice.py.',
    want: '"""Applies a percentage discount to an amount.\n\nArgs:\n    amount: the price before the discount.\n    percent: 0-100.\n"""',
  },
  {
    file: 'billing.py',
    reply: '"""Applies a percentage discount to an amount."""',
    want: '"""Applies a percentage discount to an amount."""',
  },
  {
    file: 'src/lib.rs',
    reply: '/// Parses a duration such as `5m` or `2h30m` [3].\n///\n/// Returns an error for an unknown unit.\n\nI kept the rustdoc style of the crate.',
    want: '/// Parses a duration such as `5m` or `2h30m`.\n///\n/// Returns an error for an unknown unit.',
  },
  {
    file: 'cmd/root.go',
    reply: '```go\n// Execute runs the root command and exits non-zero on error.\n```',
    want: '// Execute runs the root command and exits non-zero on error.',
  },
  {
    file: 'lib/cart.rb',
    reply: 'Here is the comment:\n# Adds an item to the cart and recomputes the total.\n# Raises Closed when the cart is closed.',
    want: '# Adds an item to the cart and recomputes the total.\n# Raises Closed when the cart is closed.',
  },
  {
    file: 'src/Cache.cs',
    reply: '/// <summary>Evicts the least recently used entry.</summary>\n/// <returns>The evicted key.</returns>',
    want: '/// <summary>Evicts the least recently used entry.</summary>\n/// <returns>The evicted key.</returns>',
  },
  {
    file: 'src/Split.hs',
    reply: '-- | Split a list on every element that satisfies the predicate [1].',
    want: '-- | Split a list on every element that satisfies the predicate.',
  },
  {
    file: 'src/pick.ts',
    reply: '/**\n * Returns `items[1]` when the list has two entries.\n */',
    want: '/**\n * Returns `items[1]` when the list has two entries.\n */',
  },
];

describe('the doc comment inside a model reply', () => {
  for (const { file, reply, want } of DOC_REPLIES) {
    it(`extracts it for ${file}: ${JSON.stringify(reply.slice(0, 40))}`, () => {
      expect(extractDocComment(reply, file)).toEqual({ ok: true, text: want });
    });
  }

  it('refuses a reply with no comment in the file\'s syntax, with the reason', () => {
    const prose = extractDocComment('This function refreshes the session token before it expires.', 'src/session.ts');
    expect(prose).toEqual({ ok: false, reason: expect.stringContaining('no doc comment') });
    const wrongSyntax = extractDocComment('/** Applies a discount. */', 'billing.py');
    expect(wrongSyntax.ok).toBe(false);
    expect(extractDocComment('# a comment', 'data.unknownext').ok).toBe(false);
  });
});

const COMMIT_REPLIES: ReadonlyArray<{ reply: string; want: string }> = [
  { reply: 'fix(auth): refresh sessions before they expire [1]', want: 'fix(auth): refresh sessions before they expire' },
  {
    reply: 'Here is a commit message following the repository\'s conventions:\n\n```\nfeat(cache): evict the least recently used entry first\n\nThe cache grew without bound under load [2]; entries now leave in LRU order.\n```\n\nIt follows the Conventional Commits style of recent history [1].',
    want: 'feat(cache): evict the least recently used entry first\n\nThe cache grew without bound under load; entries now leave in LRU order.',
  },
  {
    reply: 'Sure:\n\nAdd retry with backoff to the HTTP client\n\nRequests that fail with 503 are retried up to three times [1][3].\n\nNote: the subject is imperative and under 50 characters, like the others.',
    want: 'Add retry with backoff to the HTTP client\n\nRequests that fail with 503 are retried up to three times.',
  },
  { reply: '**Commit message:**\nparser: accept trailing commas in arrays', want: 'parser: accept trailing commas in arrays' },
];

describe('the commit message inside a model reply', () => {
  for (const { reply, want } of COMMIT_REPLIES) {
    it(`extracts it from ${JSON.stringify(reply.slice(0, 40))}`, () => {
      expect(extractCommitMessage(reply)).toEqual({ ok: true, text: want });
    });
  }

  it('refuses an empty reply', () => {
    expect(extractCommitMessage('  [1]  ').ok).toBe(false);
  });
});
