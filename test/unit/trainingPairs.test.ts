import { describe, expect, it } from 'vitest';
import { Bm25 } from '../../tools/embedder/bm25';
import { sectionPairs } from '../../tools/embedder/sectionPairs';
import { unitsOf, type Unit } from '../../tools/embedder/units';

async function units(relPath: string, text: string): Promise<Unit[]> {
  return unitsOf({ relPath, text, language: null });
}

describe('training units of languages without a grammar', () => {
  it('pairs a Ruby method with the comment block above it, and leaves the comment out of its text', async () => {
    const found = await units('lib/cart.rb', [
      'class Cart',
      '  # Adds an item to the cart and recomputes the total price.',
      '  # Raises when the cart is closed.',
      '  def add(item)',
      '    raise Closed if closed?',
      '    @items << item',
      '  end',
      'end',
    ].join('\n'));
    const add = found.find((u) => u.name === 'add');
    expect(add?.doc).toBe('Adds an item to the cart and recomputes the total price. Raises when the cart is closed.');
    expect(add?.startLine).toBe(4);
    expect(add?.text).not.toContain('recomputes');
    expect(add?.text).toContain('@items << item');
  });

  it('reads Haskell `-- |` comments, Elixir @doc heredocs, Lua `---` and Kotlin KDoc past annotations', async () => {
    const hs = await units('src/Split.hs', ['-- | Split a list on every element that satisfies the predicate.', 'splitWhen :: (a -> Bool) -> [a] -> [[a]]', 'splitWhen p = go', '  where go = undefined'].join('\n'));
    expect(hs[0]?.doc).toBe('Split a list on every element that satisfies the predicate.');
    const ex = await units('lib/queue.ex', ['defmodule Queue do', '  @doc """', '  Pushes a job onto the queue and wakes one idle worker.', '  """', '  @spec push(t, job) :: t', '  def push(queue, job) do', '    notify(queue)', '  end', 'end'].join('\n'));
    expect(ex.find((u) => u.name === 'push')?.doc).toBe('Pushes a job onto the queue and wakes one idle worker.');
    const lua = await units('lua/status.lua', ['--- Builds the status line for the current window width.', 'function M.build(width)', '  return render(width)', 'end'].join('\n'));
    expect(lua[0]?.doc).toBe('Builds the status line for the current window width.');
    const kt = await units('src/Json.kt', ['/**', ' * Decodes a JSON string into a value of the given type.', ' */', '@ExperimentalApi', 'fun <T> decode(text: String): T {', '  return parse(text)', '}'].join('\n'));
    expect(kt[0]?.doc).toBe('Decodes a JSON string into a value of the given type.');
  });

  it('gives no doc to a unit whose comment is too short to be a query, and no unit to a one-line definition', async () => {
    const found = await units('lib/a.rb', ['# internal', 'def a', '  1', 'end', 'def b; end'].join('\n'));
    expect(found.map((u) => [u.name, u.doc])).toEqual([['a', null]]);
  });
});

describe('README section pairs', () => {
  it('pairs a section that names one defined identifier with its unit, not sections naming unknown or ambiguous ones', async () => {
    const found = await units('lib/cache.rb', ['def fetch_or_store(key)', '  @map[key] ||= yield', 'end', 'def evict(key)', '  @map.delete(key)', 'end'].join('\n'));
    const byName = new Map<string, Unit[]>();
    for (const u of found) byName.set(u.name, [u]);
    const duplicate = found[1];
    if (duplicate !== undefined) byName.set('evict', [duplicate, duplicate]);
    const readme = [
      '# Caching',
      'Use `fetch_or_store` to compute a value once and keep it for later lookups of the same key.',
      '```ruby', 'cache.fetch_or_store(:a) { 1 }', '```',
      '## Eviction',
      'Call `evict` to drop one key from the cache when its value went stale.',
      '## Other',
      'The `unknown_helper` does things that this package never defines anywhere.',
    ].join('\n');
    const pairs = sectionPairs([readme], byName);
    expect(pairs.map((p) => p.unit.name)).toEqual(['fetch_or_store']);
    expect(pairs[0]?.query).toBe('Caching Use to compute a value once and keep it for later lookups of the same key.');
  });
});

describe('hard-negative BM25', () => {
  it('returns the best documents first, ties by id, and forgets scores between queries', () => {
    const docs = [
      { id: 10, tokens: Int32Array.from([1, 2, 3]) },
      { id: 11, tokens: Int32Array.from([1, 1, 4]) },
      { id: 12, tokens: Int32Array.from([5, 6]) },
      { id: 13, tokens: Int32Array.from([1, 4]) },
      { id: 15, tokens: Int32Array.from([5, 6]) },
      { id: 14, tokens: Int32Array.from([5, 6]) },
      ...Array.from({ length: 100 }, (_, i) => ({ id: 100 + i, tokens: Int32Array.from([7, 8, 9]) })),
    ];
    const bm25 = new Bm25(docs);
    // Document 11 holds token 1 twice.
    expect(bm25.top(Int32Array.from([1, 4]), 3)).toEqual([11, 13, 10]);
    expect(bm25.top(Int32Array.from([5]), 3)).toEqual([12, 14, 15]);
    // Token 7 is in nearly every document: it ranks nothing.
    expect(bm25.top(Int32Array.from([7]), 3)).toEqual([]);
    expect(bm25.top(Int32Array.from([1, 4]), 2)).toEqual([11, 13]);
  });
});
