import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { STOPWORDS } from '../../src/engine/text/identifiers';

/** Words of a query as a plain keyword search would take them: lower-cased, stopwords out. */
export function plainTerms(query: string): string[] {
  const words = [...query.toLowerCase().matchAll(/[\p{L}\p{N}_]+/gu)].map((m) => m[0]);
  return [...new Set(words.filter((w) => w.length > 1 && !STOPWORDS.has(w)))];
}

/**
 * Plain BM25 over whole files (FTS5's default unicode61 tokens, no identifier splitting, no
 * stemming, no ranking rules): the reference every retriever is compared with.
 */
export class PlainBm25 {
  private readonly db = new Database(':memory:');

  constructor(root: string, files: readonly string[]) {
    this.db.exec('CREATE VIRTUAL TABLE docs USING fts5(path, body)');
    const insert = this.db.prepare('INSERT INTO docs (path, body) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const f of files) {
        try {
          insert.run(f, readFileSync(path.join(root, f), 'utf8'));
        } catch {
          // Gone or unreadable since it was indexed: not a candidate.
        }
      }
    })();
  }

  rank(query: string, k: number): string[] {
    const terms = plainTerms(query);
    if (terms.length === 0) return [];
    const match = terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
    return this.db.prepare('SELECT path FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?').pluck().all(match, k).map(String);
  }

  close(): void {
    this.db.close();
  }
}

/**
 * What an agent with ripgrep does: one case-insensitive word search per query term, files ranked by
 * how many distinct terms they contain, then by matches. Only the indexed files count.
 */
export function ripgrepRank(root: string, indexed: ReadonlySet<string>, query: string, k: number): string[] {
  const distinct = new Map<string, number>();
  const total = new Map<string, number>();
  for (const term of plainTerms(query)) {
    let out = '';
    try {
      out = execFileSync('rg', ['--count-matches', '-i', '-w', '-F', '--no-messages', '-e', term, '.'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    } catch (error: unknown) {
      // Exit 1 is "no match"; anything else (rg missing) is worth stopping for.
      const status = typeof error === 'object' && error !== null && 'status' in error ? error.status : undefined;
      if (status !== 1) throw new Error(`ripgrep failed (${String(error)}): install it with \`apt-get install ripgrep\``);
    }
    for (const line of out.split('\n')) {
      const colon = line.lastIndexOf(':');
      if (colon <= 0) continue;
      const file = line.slice(0, colon).replace(/^\.\//, '');
      if (!indexed.has(file)) continue;
      distinct.set(file, (distinct.get(file) ?? 0) + 1);
      total.set(file, (total.get(file) ?? 0) + Number(line.slice(colon + 1)));
    }
  }
  return [...distinct.keys()]
    .sort((a, b) => (distinct.get(b) ?? 0) - (distinct.get(a) ?? 0) || (total.get(b) ?? 0) - (total.get(a) ?? 0) || a.localeCompare(b))
    .slice(0, k);
}
