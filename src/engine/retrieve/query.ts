import { identifierParts, isCodeIdentifier, STOPWORDS } from '../text/identifiers';

export interface AnalyzedQuery {
  readonly text: string;
  /** FTS5 MATCH expression (every term quoted, OR-ed), or null when nothing is searchable. */
  readonly match: string | null;
  /** Tokens that look like code identifiers (`parseHTTPResponse`, `user_id`), as typed. */
  readonly identifiers: readonly string[];
  readonly wantsTests: boolean;
  readonly wantsDocs: boolean;
  readonly wantsFixtures: boolean;
}

const TOKEN = /[\p{L}\p{N}_$]+/gu;

function quote(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** Turns a question or a bare identifier into lexical terms and intent flags. */
export function analyzeQuery(text: string): AnalyzedQuery {
  const tokens = [...text.matchAll(TOKEN)].map((m) => m[0]);
  const identifiers = tokens.filter((t) => isCodeIdentifier(t) || (tokens.length === 1 && t.length > 2));
  const terms = new Set<string>();
  for (const token of tokens) {
    const lower = token.toLowerCase();
    const parts = identifierParts(token);
    if (parts.length > 0) {
      terms.add(lower);
      for (const p of parts) if (!STOPWORDS.has(p) || parts.length <= 2) terms.add(p);
    } else if (!STOPWORDS.has(lower) || tokens.length === 1) {
      terms.add(lower);
    }
  }
  const lower = text.toLowerCase();
  return {
    text,
    match: terms.size === 0 ? null : [...terms].map(quote).join(' OR '),
    identifiers,
    wantsTests: /\b(tests?|specs?|unit ?tests?|testing|e2e)\b/.test(lower),
    wantsDocs: /\b(docs?|documentation|readme|guide|tutorial|changelog|examples?)\b/.test(lower),
    wantsFixtures: /\b(fixtures?|mocks?|testdata|benchmarks?)\b/.test(lower),
  };
}
