import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';
import { openIndexDatabase } from '../../src/engine/store/openDatabase';
import { lexicalSearch, splitTerms } from '../../src/engine/retrieve/lexical';
import { matchOf } from '../../src/engine/retrieve/query';
import { rowOf } from '../../src/engine/store/rows';

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
    const dir = tempDir({});
    const { db } = openIndexDatabase(path.join(dir, 'index.db'), { quickCheck: false });
    const random = sequence(7);
    const filler = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'theta', 'kappa', 'lambda', 'sigma'];
    const insert = db.prepare('INSERT INTO chunks_fts (rowid, path, symbol, body) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (let id = 1; id <= 6000; id++) {
        const body: string[] = [];
        const length = 20 + Math.floor(random() * 200);
        for (let i = 0; i < length; i++) body.push(filler[Math.floor(random() * filler.length)] ?? 'alpha');
        // `value` and `values` in about half the chunks (a common term, with its plural), `parser` in a few.
        if (random() < 0.5) body.push(...Array.from({ length: 1 + Math.floor(random() * 4) }, () => (random() < 0.5 ? 'value' : 'values')));
        if (random() < 0.02) body.push('parser');
        if (random() < 0.03) body.push('tokens', 'tokens');
        insert.run(id, `src mod${id % 50} file${id}`, random() < 0.1 ? 'parseValue parse value' : '', body.join(' '));
      }
    })();
    const terms = ['parser', 'value', 'tokens'];
    expect(splitTerms(db, terms)).toEqual({ selective: ['parser', 'tokens'], common: ['value'] });
    const full = db.prepare('SELECT rowid AS id, bm25(chunks_fts, 2.0, 4.0, 1.0) AS score FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY score, rowid LIMIT 30').all(matchOf(terms)).map((raw) => {
      const r = rowOf(raw);
      return { chunkId: Number(r['id']), raw: Number(r['score']) };
    });
    const pruned = lexicalSearch(db, terms, 30);
    expect(pruned.map((r) => r.chunkId)).toEqual(full.map((r) => r.chunkId));
    pruned.forEach((r, i) => expect(r.raw).toBeCloseTo(full[i]?.raw ?? 0, 6));
    db.close();
  });

  it('keeps every term when all are common, and on small indexes', () => {
    const dir = tempDir({});
    const { db } = openIndexDatabase(path.join(dir, 'index.db'), { quickCheck: false });
    const insert = db.prepare('INSERT INTO chunks_fts (rowid, path, symbol, body) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (let id = 1; id <= 100; id++) insert.run(id, 'src a', '', 'value data value');
    })();
    expect(splitTerms(db, ['value', 'data'])).toEqual({ selective: ['value', 'data'], common: [] });
    expect(lexicalSearch(db, ['value', 'data'], 5)).toHaveLength(5);
    db.close();
  });
});
