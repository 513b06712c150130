import type { RankedId } from './lexical';

/**
 * What the learned fusion knows about a candidate (tools/reranker/train.ts learns one weight for
 * each): how each retriever ranked and scored it, and how decisive the lexical side is for this
 * query — so a clear BM25 winner stays ahead while a flat BM25 list defers to the vectors, which a
 * fixed RRF cannot do. (Per-query constants, such as the gap to the best cosine, change nothing under
 * a per-query softmax, so there are none.) Content features (query-word coverage of the name and text, unit kind, size)
 * were tried and dropped: they helped on the training packages and hurt on the dev corpus
 * (models/sourceline-code-v2/README.md). Path roles and exact identifier matches are applied after,
 * by the same rules as for every fusion (fuse.ts `rerank`).
 */
export const FEATURE_NAMES = ['lexicalRank', 'vectorRank', 'inLexical', 'inVector', 'lexicalScore', 'cosine', 'lexicalConfidenceRank', 'fileLexicalSupport', 'fileVectorSupport'] as const;

export interface CandidateFeatures {
  readonly chunkId: number;
  readonly relPath: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly features: readonly number[];
}

const rankFeature = (rank: number | undefined): number => (rank === undefined ? 0 : 5 / (5 + rank));

/** Where each candidate is: the features are about ranks and scores, the training labels about files. */
export interface CandidateFacts {
  readonly rootPath: string;
  readonly relPath: string;
  readonly startLine: number;
  readonly endLine: number;
}

export function candidateFeatures(
  lexical: readonly RankedId[],
  vector: readonly RankedId[],
  facts: ReadonlyMap<number, CandidateFacts>,
  cosines: ReadonlyMap<number, number>,
): CandidateFeatures[] {
  const lexRank = new Map(lexical.map((r, i) => [r.chunkId, i]));
  const vecRank = new Map(vector.map((r, i) => [r.chunkId, i]));
  const lexRaw = new Map(lexical.map((r) => [r.chunkId, r.raw]));
  // bm25() is negative, lower is better: a candidate's score relative to the best, in (0, 1].
  const best = lexical[0]?.raw ?? 0;
  const second = lexical[1]?.raw ?? 0;
  const confidence = best < 0 ? Math.max(0, (best - second) / best) : 0;
  const ids = [...new Set([...lexical.map((r) => r.chunkId), ...vector.map((r) => r.chunkId)])];
  const support = fileSupport(ids, facts, lexRank, vecRank);
  return ids.flatMap((chunkId) => {
    const f = facts.get(chunkId);
    if (f === undefined) return [];
    const lr = lexRank.get(chunkId);
    const vr = vecRank.get(chunkId);
    const raw = lexRaw.get(chunkId);
    const cos = cosines.get(chunkId) ?? 0;
    const features = [
      rankFeature(lr),
      rankFeature(vr),
      lr === undefined ? 0 : 1,
      vr === undefined ? 0 : 1,
      raw === undefined || best >= 0 ? 0 : raw / best,
      cos,
      confidence * rankFeature(lr),
      saturate((support.lexical.get(fileKey(f)) ?? 0) - rankFeature(lr)),
      saturate((support.vector.get(fileKey(f)) ?? 0) - rankFeature(vr)),
    ];
    return [{ chunkId, relPath: f.relPath, startLine: f.startLine, endLine: f.endLine, features }];
  });
}

const fileKey = (f: CandidateFacts): string => `${f.rootPath}\0${f.relPath}`;
const saturate = (x: number): number => (x <= 1e-9 ? 0 : x / (1 + x));

/**
 * Per file, the summed rank features of its candidates on each side: a file that several
 * candidates point to is likelier the one asked about (the file, not the chunk, is what a change
 * description or a question is usually about). Each candidate's own share is taken out again.
 */
function fileSupport(
  ids: readonly number[],
  facts: ReadonlyMap<number, CandidateFacts>,
  lexRank: ReadonlyMap<number, number>,
  vecRank: ReadonlyMap<number, number>,
): { lexical: Map<string, number>; vector: Map<string, number> } {
  const lexical = new Map<string, number>();
  const vector = new Map<string, number>();
  for (const id of ids) {
    const f = facts.get(id);
    if (f === undefined) continue;
    const key = fileKey(f);
    lexical.set(key, (lexical.get(key) ?? 0) + rankFeature(lexRank.get(id)));
    vector.set(key, (vector.get(key) ?? 0) + rankFeature(vecRank.get(id)));
  }
  return { lexical, vector };
}

/** The learned reranker's score: a weighted sum (weights in the model's meta.json). */
export function learnedScore(features: readonly number[], weights: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < features.length; i++) s += (features[i] ?? 0) * (weights[i] ?? 0);
  return Math.max(-50, Math.min(50, s));
}
