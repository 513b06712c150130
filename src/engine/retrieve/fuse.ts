import type { Retriever } from '../types';
import { pathRole } from '../walk/fileKinds';
import type { AnalyzedQuery } from './query';
import type { RankedId } from './lexical';

/** Reciprocal-rank-fusion weights; `k` is the constant: larger flattens the gap between ranks. */
export type { FusionWeights } from '../embed/embedder';
import type { FusionWeights } from '../embed/embedder';

/**
 * For models without tuned weights. k = 10 rather than the customary 60: on the dev corpus it ranks
 * better for lexical-only and hybrid search alike (bench/results/quality.json, "tuning").
 */
export const DEFAULT_FUSION: FusionWeights = { method: 'rrf', lexical: 1, vector: 1, k: 10 };

export interface Candidate {
  readonly chunkId: number;
  readonly score: number;
  readonly sources: readonly Retriever[];
}

type RankedList = { retriever: Retriever; ranked: readonly RankedId[] };

/** Weighted reciprocal rank fusion of ranked lists (Cormack et al. 2009). */
export function reciprocalRankFusion(lists: readonly RankedList[], weights: FusionWeights): Candidate[] {
  return accumulate(lists, (retriever, ranked) => ranked.map((_, rank) => weights[retriever] / (weights.k + rank + 1)));
}

/**
 * Convex combination of scores, each list min-max normalised per query (best 1, worst 0). Unlike
 * ranks, scores keep how decisive a retriever is: a lexical match far ahead of the rest stays ahead
 * (Bruch et al. 2022 find a tuned combination beats RRF).
 */
export function convexCombination(lists: readonly RankedList[], weights: FusionWeights): Candidate[] {
  return accumulate(lists, (retriever, ranked) => {
    const best = ranked[0]?.raw ?? 0;
    const worst = ranked[ranked.length - 1]?.raw ?? 0;
    const span = worst - best;
    return ranked.map((r) => weights[retriever] * (span > 0 ? (worst - r.raw) / span : 1));
  });
}

export function fuse(lists: readonly RankedList[], weights: FusionWeights): Candidate[] {
  return weights.method === 'cc' ? convexCombination(lists, weights) : reciprocalRankFusion(lists, weights);
}

function accumulate(lists: readonly RankedList[], scores: (retriever: Retriever, ranked: readonly RankedId[]) => number[]): Candidate[] {
  const byId = new Map<number, { score: number; sources: Retriever[] }>();
  for (const { retriever, ranked } of lists) {
    const s = scores(retriever, ranked);
    ranked.forEach((r, i) => {
      const entry = byId.get(r.chunkId) ?? { score: 0, sources: [] };
      entry.score += s[i] ?? 0;
      entry.sources.push(retriever);
      byId.set(r.chunkId, entry);
    });
  }
  return [...byId].map(([chunkId, e]) => ({ chunkId, score: e.score, sources: e.sources })).sort((a, b) => b.score - a.score);
}

export interface RerankFacts {
  readonly relPath: string;
  readonly symbol: string;
  readonly text: string;
}

/** How much lower a test, doc or fixture chunk ranks when the query does not ask for one (and higher when it does). */
const ROLE_PENALTY = 0.5;
/** Multiplier for a chunk whose own name is an identifier from the query. */
const SYMBOL_MATCH_BOOST = 2.0;
const TEXT_MATCH_BOOST = 1.25;
/** A chunk that only imports things names many identifiers but explains nothing. */
const IMPORTS_ONLY_PENALTY = 0.3;
const IMPORT_LINE = /^\s*(import\s|export\s+(\*|\{[^}]*\})\s+from\s|from\s+\S+\s+import\s|using\s+[\w.]+;|#include\s|package\s+[\w.]+;?$|use\s+[\w:{}, ]+;|(const|let|var)\s+\w+\s*=\s*require\(|['"]use strict['"];?$|\}?\s*from\s+['"])/;

export function isImportsOnly(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !/^\s*(\/\/|#(?!include)|\/?\*)/.test(l));
  // Bare `name,` lines belong to a multi-line import list; at least one real import line must be there.
  return lines.some((l) => IMPORT_LINE.test(l)) && lines.every((l) => IMPORT_LINE.test(l) || /^\s*[\w$]+,?\s*$/.test(l));
}

/** Each further chunk of a file already in the results counts this much less: show more files. */
const SAME_FILE_DECAY = 0.7;

/** Boosts exact identifier matches, lowers tests/docs/fixtures unless asked for, and diversifies by file. */
export function rerank(candidates: readonly Candidate[], facts: ReadonlyMap<number, RerankFacts>, query: AnalyzedQuery): Candidate[] {
  const ids = query.identifiers.map((i) => i.toLowerCase());
  const adjusted = candidates.map((c) => {
    const f = facts.get(c.chunkId);
    if (f === undefined) return c;
    let score = c.score;
    const role = pathRole(f.relPath);
    const asked = (role === 'test' && query.wantsTests) || (role === 'doc' && query.wantsDocs) || (role === 'fixture' && query.wantsFixtures);
    // Asked-for roles are preferred ("tests for X" wants the tests first), others are lowered.
    if (asked) score /= ROLE_PENALTY;
    else if (role !== 'source') score *= ROLE_PENALTY;
    if (isImportsOnly(f.text)) score *= IMPORTS_ONLY_PENALTY;
    if (ids.length > 0) {
      const names = f.symbol.toLowerCase().split(/[.,\s]+/);
      if (ids.some((id) => names.includes(id))) score *= SYMBOL_MATCH_BOOST;
      else if (query.identifiers.some((id) => f.text.includes(id))) score *= TEXT_MATCH_BOOST;
    }
    return { ...c, score };
  });
  return diversify(adjusted, facts);
}

/** Each further chunk of a file already ranked counts less (scores must be positive). */
function diversify(candidates: readonly Candidate[], facts: ReadonlyMap<number, { readonly relPath: string }>): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const perFile = new Map<string, number>();
  const diversified = sorted.map((c) => {
    const path = facts.get(c.chunkId)?.relPath ?? '';
    const seen = perFile.get(path) ?? 0;
    perFile.set(path, seen + 1);
    return { ...c, score: c.score * SAME_FILE_DECAY ** seen };
  });
  return diversified.sort((a, b) => b.score - a.score);
}
