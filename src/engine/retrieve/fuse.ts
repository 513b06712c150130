import type { Retriever } from '../types';
import type { RankedId } from './lexical';
import type { QueryKind } from './query';

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

/** The fusion for this kind of query: its own vector weight when the model has one for the kind. */
export function fusionFor(fusion: FusionWeights, kind: QueryKind): FusionWeights {
  const vector = kind === 'symbol' ? undefined : fusion.vectorByKind?.[kind];
  return vector === undefined ? fusion : { ...fusion, vector };
}
