import type BetterSqlite3 from 'better-sqlite3';
import { perIndexState } from '../store/indexState';
import { CHUNK_BODY_COLUMNS, CHUNK_BODY_JOIN, ChunkBodies } from '../store/chunkText';
import { rowOf } from '../store/rows';
import { statement } from '../store/statements';
import { chunkTerms, countTokens, nameTermsOf, pathTerms } from '../text/ftsTerms';
import { IDENTIFIER, identifierParts } from '../text/identifiers';
import { matchOf } from './query';

export interface RankedId {
  readonly chunkId: number;
  /** Lower is better for both retrievers (BM25 rank, cosine distance). */
  readonly raw: number;
}

/** Column weights for bm25(): a match in the symbol name says more than one in the path, more than the body. */
const WEIGHTS = { path: 2.0, symbol: 4.0, body: 1.0 };

/**
 * A term found in more than this share of chunks is left out of the match while rarer terms remain,
 * and its part of the BM25 score is added back to the candidates the rarer terms found: scoring its
 * postings (`object` is in a third of a JavaScript index) was most of a search's time at 100k chunks,
 * yet it can only reorder chunks the rarer terms find anyway.
 */
const COMMON_TERM_SHARE = 0.1;
/** Below this many chunks every posting list is short: no term is worth counting. */
const MIN_CHUNKS_TO_PRUNE = 5000;

/** BM25's parameters as FTS5 uses them (fts5_aux.c). */
const K1 = 1.2;
const B = 0.75;

interface TermStats {
  readonly chunks: number;
  /** Average tokens per row over all columns, from FTS5's own totals. */
  readonly avgTokens: number;
}

/** SQLite's varint (big-endian 7-bit groups; a ninth byte holds 8 bits), as FTS5 writes its totals. */
function varints(block: Uint8Array): number[] {
  const out: number[] = [];
  let pos = 0;
  while (pos < block.length) {
    let v = 0;
    for (let i = 0; i < 9 && pos < block.length; i++) {
      const byte = block[pos++] ?? 0;
      if (i === 8) {
        v = v * 256 + byte;
        break;
      }
      v = v * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) break;
    }
    out.push(v);
  }
  return out;
}

/** Chunk count and average row length, valid while the index does not change. */
const termStats = perIndexState((db): TermStats => {
  // FTS5's averages record (rowid 1 of its data table): the row count, then each column's token total.
  const block: unknown = db.prepare('SELECT block FROM chunks_fts_data WHERE id = 1').pluck().get();
  const [rows = 0, ...columns] = block instanceof Uint8Array ? varints(block) : [];
  return { chunks: rows, avgTokens: rows === 0 ? 1 : columns.reduce((a, b) => a + b, 0) / rows };
});

/**
 * Document frequencies counted so far. They outlive index changes while the chunk count moves by
 * less than DF_DRIFT, for at most DF_MAX_AGE_MS: a save changes a term's count by a few chunks,
 * which moves neither the common/selective split nor an IDF measurably, while counting again after
 * every save cost the next query ~1 ms a term (a long posting list each). The age bounds what a
 * change of the same size (a branch switch) can leave behind.
 */
const DF_DRIFT = 0.02;
const DF_MAX_AGE_MS = 5 * 60_000;
const DF_TERMS_MAX = 20_000;
const counted = new WeakMap<BetterSqlite3.Database, { chunks: number; at: number; df: Map<string, number> }>();

function documentFrequency(db: BetterSqlite3.Database, stats: TermStats, term: string): number {
  let cache = counted.get(db);
  const now = Date.now();
  if (cache === undefined || Math.abs(stats.chunks - cache.chunks) > cache.chunks * DF_DRIFT || now - cache.at > DF_MAX_AGE_MS || cache.df.size >= DF_TERMS_MAX) {
    cache = { chunks: stats.chunks, at: now, df: new Map() };
    counted.set(db, cache);
  }
  let df = cache.df.get(term);
  if (df === undefined) {
    df = Number(statement(db, 'SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?').pluck().get(matchOf([term])));
    cache.df.set(term, df);
  }
  return df;
}

/** The query's terms split into the selective ones that find candidates and the very common ones, unless nothing rarer is left. */
export function splitTerms(db: BetterSqlite3.Database, terms: readonly string[]): { selective: readonly string[]; common: readonly string[] } {
  const stats = termStats(db, '');
  if (stats.chunks < MIN_CHUNKS_TO_PRUNE || terms.length < 2) return { selective: terms, common: [] };
  const common = terms.filter((t) => documentFrequency(db, stats, t) > stats.chunks * COMMON_TERM_SHARE);
  return common.length === terms.length ? { selective: terms, common: [] } : { selective: terms.filter((t) => !common.includes(t)), common };
}

/** Endings a light stem takes off, close enough to Porter's for counting a very common term's occurrences. */
const ENDINGS = '(?:ions?|ing|ed|es|s|al|ly)?';

/** A term's stem for counting (`functions` → `function`), and the pattern matching it as a whole token with or without a common ending. */
export function termPattern(term: string): { base: string; pattern: RegExp } {
  const base = /^(.{4,}?)(ions?|ing|ed|es|s|al|ly)$/.exec(term)?.[1] ?? term;
  return { base, pattern: new RegExp(`(?<![\\p{L}\\p{N}_])${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${ENDINGS}(?![\\p{L}\\p{N}_])`, 'gu') };
}

function countOf(text: string, pattern: RegExp): number {
  pattern.lastIndex = 0;
  let n = 0;
  while (pattern.exec(text) !== null) n++;
  return n;
}

/** [A-Za-z0-9_$]: the characters of IDENTIFIER's matches. */
function isIdentifierChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Parts of each identifier (IDENTIFIER's matches) containing the term, found from the term's occurrences. */
function partsCount(raw: string, lower: string, term: { base: string; pattern: RegExp }): number {
  let n = 0;
  let counted = -1;
  for (let at = lower.indexOf(term.base); at !== -1; at = lower.indexOf(term.base, at + 1)) {
    if (at < counted) continue;
    // IDENTIFIER's match around `at`: the run of identifier characters, less its leading digits.
    let start = at;
    while (start > 0 && isIdentifierChar(raw.charCodeAt(start - 1))) start--;
    while (start < at && isDigit(raw.charCodeAt(start))) start++;
    if (isDigit(raw.charCodeAt(start))) continue;
    let end = at + term.base.length;
    while (end < raw.length && isIdentifierChar(raw.charCodeAt(end))) end++;
    counted = end;
    const parts = identifierParts(raw.slice(start, end));
    if (parts.length > 0) n += countOf(parts.join(' '), term.pattern);
  }
  return n;
}

/**
 * Occurrences of a term in a column as it was indexed (identifiers followed by their parts,
 * expandIdentifiers), counted in the raw text: the whole tokens, plus the parts of the compound
 * identifiers that contain the term — found from the term's own occurrences, not by matching every
 * identifier of the text (that was most of a common term's scoring).
 */
export function expandedCount(raw: string, term: { base: string; pattern: RegExp }, lower = raw.toLowerCase()): number {
  if (!lower.includes(term.base)) return 0;
  const whole = countOf(lower, term.pattern);
  // Only a term of identifier characters can lie inside an identifier.
  if (!/^[a-z0-9_$]+$/.test(term.base)) return whole;
  if (lower.length === raw.length) return whole + partsCount(raw, lower, term);
  // A character whose lower case is longer moved the offsets: match the identifiers instead.
  let n = whole;
  IDENTIFIER.lastIndex = 0;
  for (let m = IDENTIFIER.exec(raw); m !== null; m = IDENTIFIER.exec(raw)) {
    if (!m[0].toLowerCase().includes(term.base)) continue;
    const parts = identifierParts(m[0]);
    if (parts.length > 0) n += countOf(parts.join(' '), term.pattern);
  }
  return n;
}

interface CandidateColumns {
  readonly path: string;
  readonly names: string;
  /** The body column before identifier expansion (context and text), and lower-cased once for every term. */
  readonly rawBody: string;
  readonly lowerBody: string;
  readonly tokens: number;
}

/** The candidates' columns: names from the definitions table, the row length stored with the chunk (derived again for rows written before it was). */
function candidateColumns(db: BetterSqlite3.Database, ids: readonly number[], bodies: ChunkBodies): Map<number, CandidateColumns> {
  const json = JSON.stringify(ids);
  const defined = new Map<number, string[]>();
  for (const raw of statement(db, 'SELECT chunk_id, name FROM definitions WHERE chunk_id IN (SELECT value FROM json_each(?))').all(json)) {
    const r = rowOf(raw);
    const id = Number(r['chunk_id']);
    defined.set(id, [...(defined.get(id) ?? []), String(r['name'])]);
  }
  const out = new Map<number, CandidateColumns>();
  // Chunks of one file share its path column.
  const paths = new Map<string, { path: string; tokens: number }>();
  const rows = statement(db, `SELECT c.id, f.path AS relPath, c.start_line, c.symbol, c.fts_tokens, ${CHUNK_BODY_COLUMNS}
              FROM chunks c JOIN files f ON f.id = c.file_id ${CHUNK_BODY_JOIN}
              WHERE c.id IN (SELECT value FROM json_each(?))`).all(json);
  for (const raw of rows) {
    const r = rowOf(raw);
    const id = Number(r['id']);
    const relPath = String(r['relPath']);
    let pathColumn = paths.get(relPath);
    if (pathColumn === undefined) {
      const terms = pathTerms(relPath).toLowerCase();
      pathColumn = { path: terms, tokens: countTokens(terms) };
      paths.set(relPath, pathColumn);
    }
    const chunk = { symbol: String(r['symbol']), ...bodies.of(r, relPath), startLine: Number(r['start_line']) };
    const stored = r['fts_tokens'];
    // Rows written before the length was stored derive their columns again.
    const derived = typeof stored === 'number' ? null : chunkTerms(relPath, chunk);
    const names = derived === null ? nameTermsOf(chunk.symbol, defined.get(id) ?? []) : derived.nameTerms;
    const rawBody = `${chunk.context}\n${chunk.text}`;
    const tokens = (typeof stored === 'number' ? stored : (derived?.tokens ?? 0)) + pathColumn.tokens;
    out.set(id, { path: pathColumn.path, names: names.toLowerCase(), rawBody, lowerBody: rawBody.toLowerCase(), tokens });
  }
  return out;
}

/**
 * The common terms' part of each candidate's BM25 score, as FTS5 would have added it: the term's
 * IDF times its saturated, column-weighted frequency, normalised by the row's length. Counted in the
 * indexed columns (path, names, body) with a light stem, so it is close to, not exactly, FTS5's figure.
 */
function commonTermScores(db: BetterSqlite3.Database, ids: readonly number[], common: readonly string[], bodies: ChunkBodies): Map<number, number> {
  const stats = termStats(db, '');
  const terms = common.map((t) => {
    const n = documentFrequency(db, stats, t);
    return { idf: Math.max(1e-6, Math.log((stats.chunks - n + 0.5) / (n + 0.5))), ...termPattern(t) };
  });
  const out = new Map<number, number>();
  for (const [id, c] of candidateColumns(db, ids, bodies)) {
    let score = 0;
    for (const t of terms) {
      const f = WEIGHTS.path * countOf(c.path, t.pattern) + WEIGHTS.symbol * countOf(c.names, t.pattern) + WEIGHTS.body * expandedCount(c.rawBody, t, c.lowerBody);
      if (f === 0) continue;
      score += t.idf * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * c.tokens) / stats.avgTokens)));
    }
    out.set(id, score);
  }
  return out;
}

/** `bodies` keeps the blocks inflated for scoring, for a caller that reads the same chunks next (search.ts). */
export function lexicalSearch(db: BetterSqlite3.Database, terms: readonly string[], limit: number, bodies = new ChunkBodies()): RankedId[] {
  const { selective, common } = splitTerms(db, terms);
  const match = matchOf(selective);
  if (match === null) return [];
  // With common terms left out, twice the candidates are scored in full, so the cut still falls where BM25 over every term puts it.
  const depth = common.length > 0 ? 2 * limit : limit;
  const ranked = statement(db, `SELECT rowid AS id, bm25(chunks_fts, ${WEIGHTS.path}, ${WEIGHTS.symbol}, ${WEIGHTS.body}) AS score
              FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY score LIMIT ?`)
    .all(match, depth)
    .map((raw) => {
      const r = rowOf(raw);
      return { chunkId: Number(r['id']), raw: Number(r['score']) };
    });
  if (common.length === 0) return ranked;
  const extra = commonTermScores(db, ranked.map((r) => r.chunkId), common, bodies);
  return ranked
    .map((r) => ({ chunkId: r.chunkId, raw: r.raw - (extra.get(r.chunkId) ?? 0) }))
    .sort((a, b) => a.raw - b.raw || a.chunkId - b.chunkId)
    .slice(0, limit);
}
