import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';
import { indexedWrite } from '../helpers/fileWrites';
import { expandedCount, lexicalSearch, splitTerms, termPattern } from '../../src/engine/retrieve/lexical';
import { readdirSync, readFileSync } from 'node:fs';
import { expandIdentifiers } from '../../src/engine/text/identifiers';
import { matchOf } from '../../src/engine/retrieve/query';
import { IndexStore, type FileWrite } from '../../src/engine/store/indexStore';
import { rowOf } from '../../src/engine/store/rows';

/** An index of one-chunk files, written as the indexer writes them (the lexical index is derived from the chunks). */
function indexOf(dir: string, chunks: ReadonlyArray<{ path: string; symbol: string; text: string }>): IndexStore {
  const store = IndexStore.open(path.join(dir, 'index.db'), { quickCheck: false });
  store.useModel({ id: 'none', dims: 8 });
  const rootId = store.ensureRoot({ name: 'r', path: dir });
  const ops: FileWrite[] = chunks.map((c, i) =>
    indexedWrite(rootId, { relPath: c.path, size: c.text.length, hash: `h${i}` }, [{ startLine: 1, endLine: 1, kind: 'block', symbol: c.symbol, context: '', text: c.text }]));
  store.write('none', ops);
  return store;
}

/** A deterministic pseudo-random sequence, so the synthetic index is the same every run. */
function sequence(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

describe('lexical search with very common terms left out of the match', () => {
  it('ranks and scores exactly as BM25 over every term, on an index large enough to prune', () => {
    const random = sequence(7);
    const filler = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'theta', 'kappa', 'lambda', 'sigma'];
    const chunks = Array.from({ length: 6000 }, (_, i) => {
      const id = i + 1;
      const body: string[] = [];
      const length = 20 + Math.floor(random() * 200);
      for (let k = 0; k < length; k++) body.push(filler[Math.floor(random() * filler.length)] ?? 'alpha');
      // `value` and `values` in about half the chunks (a common term, with its plural), `parser` in a few.
      if (random() < 0.5) body.push(...Array.from({ length: 1 + Math.floor(random() * 4) }, () => (random() < 0.5 ? 'value' : 'values')));
      // Compound identifiers hold the common term as a part (the index carries the parts beside them).
      if (random() < 0.2) body.push(random() < 0.5 ? 'getValue(x)' : 'value_store.valueCount');
      if (random() < 0.02) body.push('parser');
      if (random() < 0.03) body.push('tokens', 'tokens');
      return { path: `src/mod${id % 50}/file${id}`, symbol: random() < 0.1 ? 'parseValue' : '', text: body.join(' ') };
    });
    const store = indexOf(tempDir({}), chunks);
    const db = store.db;
    const terms = ['parser', 'value', 'tokens'];
    expect(splitTerms(db, terms)).toEqual({ selective: ['parser', 'tokens'], common: ['value'] });
    const full = db.prepare('SELECT rowid AS id, bm25(chunks_fts, 2.0, 4.0, 1.0) AS score FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY score, rowid LIMIT 30').all(matchOf(terms)).map((raw) => {
      const r = rowOf(raw);
      return { chunkId: Number(r['id']), raw: Number(r['score']) };
    });
    const pruned = lexicalSearch(db, terms, 30);
    expect(pruned.map((r) => r.chunkId)).toEqual(full.map((r) => r.chunkId));
    pruned.forEach((r, i) => expect(r.raw).toBeCloseTo(full[i]?.raw ?? 0, 6));
    // Rows written before the row length was stored are derived again, to the same scores.
    db.exec('UPDATE chunks SET fts_tokens = NULL WHERE id % 2 = 1');
    const older = lexicalSearch(db, terms, 30);
    expect(older.map((r) => r.chunkId)).toEqual(full.map((r) => r.chunkId));
    older.forEach((r, i) => expect(r.raw).toBeCloseTo(full[i]?.raw ?? 0, 6));
    store.close();
  });

  it('counts a term again once the index has grown enough to change its share', () => {
    const dir = tempDir({});
    const store = indexOf(dir, Array.from({ length: 6000 }, (_, i) => ({ path: `src/a${i}`, symbol: '', text: `${i % 50 === 0 ? 'parser' : 'other'} ${i % 20 === 0 ? 'value' : 'more'}` })));
    expect(splitTerms(store.db, ['parser', 'value'])).toEqual({ selective: ['parser', 'value'], common: [] });
    const rootId = store.ensureRoot({ name: 'r', path: dir });
    store.write('none', Array.from({ length: 1500 }, (_, i): FileWrite =>
      indexedWrite(rootId, { relPath: `src/b${i}`, size: 10, hash: `b${i}` }, [{ startLine: 1, endLine: 1, kind: 'block', symbol: '', context: '', text: 'value value' }])));
    // `value` is now in a quarter of the chunks: counted again, it is left out of the match.
    expect(splitTerms(store.db, ['parser', 'value'])).toEqual({ selective: ['parser'], common: ['value'] });
    store.close();
  });

  it('keeps every term when all are common, and on small indexes', () => {
    const store = indexOf(tempDir({}), Array.from({ length: 100 }, (_, i) => ({ path: `src/a${i}`, symbol: '', text: 'value data value' })));
    const db = store.db;
    expect(splitTerms(db, ['value', 'data'])).toEqual({ selective: ['value', 'data'], common: [] });
    expect(lexicalSearch(db, ['value', 'data'], 5)).toHaveLength(5);
    store.close();
  });
});

describe('counting a term in a column as it was indexed', () => {
  it('counts in the raw text what the expanded text holds, on real source files', () => {
    const dir = path.join(__dirname, '..', '..', 'src', 'engine', 'retrieve');
    const ours = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(path.join(dir, f), 'utf8'));
    // Code nobody here wrote: digits inside and before identifiers, `$`, snake and camel case, non-ASCII text.
    const lodash = path.join(__dirname, '..', '..', 'node_modules', 'lodash');
    const theirs = readdirSync(lodash).filter((f) => f.endsWith('.js')).sort().slice(0, 120).map((f) => readFileSync(path.join(lodash, f), 'utf8'));
    const texts = [...ours, ...theirs, 'x32bit 32bit 2_x 32_bit utf8Decode UTF8 value_2value $value 9value_x', 'İstanbulValue 9value_x utf8Decode'];
    expect(texts.length).toBeGreaterThan(100);
    for (const term of ['value', 'function', 'object', 'return', 'string', 'type', 'error', 'score', 'index', 'terms', 'chunk', 'ids', 'utf8', '32', '2', 'array', 'key', 'unicode']) {
      const t = termPattern(term);
      for (const text of texts) {
        const expanded = expandIdentifiers(text).toLowerCase();
        t.pattern.lastIndex = 0;
        const expected = expanded.match(t.pattern)?.length ?? 0;
        expect(expandedCount(text, t)).toBe(expected);
      }
    }
  });
});
