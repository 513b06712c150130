/** Retrieval metrics over ranked results; ranks are 1-based, 0 means not found. */

export interface RankedResult {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
}

/** Paths in the order they first appear: a file's rank is that of its best chunk. */
export function fileRanking(results: readonly RankedResult[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of results) {
    if (!seen.has(r.path)) {
      seen.add(r.path);
      out.push(r.path);
    }
  }
  return out;
}

export function reciprocalRank(rank: number): number {
  return rank === 0 ? 0 : 1 / rank;
}

/** 1-based rank of the first relevant file, 0 if none is in the list. */
export function firstRelevantRank(ranking: readonly string[], relevant: ReadonlySet<string>): number {
  const i = ranking.findIndex((p) => relevant.has(p));
  return i < 0 ? 0 : i + 1;
}

/** Share of the relevant files found in the top k. */
export function recallAt(ranking: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  return ranking.slice(0, k).filter((p) => relevant.has(p)).length / relevant.size;
}

/** 1-based rank of the first result overlapping the target range in the target file, 0 if none. */
export function lineRank(results: readonly RankedResult[], target: RankedResult): number {
  const i = results.findIndex((r) => r.path === target.path && r.startLine <= target.endLine && r.endLine >= target.startLine);
  return i < 0 ? 0 : i + 1;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** NDCG@k with binary relevance: each relevant path counts once, ideal = all relevant ranked first. */
export function ndcgAt(ranking: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  let dcg = 0;
  ranking.slice(0, k).forEach((p, i) => {
    if (relevant.has(p)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}
