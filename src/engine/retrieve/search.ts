import type { Embedder } from '../embed/embedder';
import { displayPath, type IndexStore } from '../store/indexStore';
import { readChunks, rootCount, type ChunkRow } from '../store/readChunks';
import type { Hit, Retriever } from '../types';
import type { LearnedReranker } from '../embed/embedder';
import { candidateFeatures, FEATURE_NAMES, learnedScore, type CandidateFeatures } from './features';
import { definingChunks } from './definitions';
import { DEFAULT_FUSION, fuse, fusionFor, type Candidate, type FusionWeights } from './fuse';
import { chunksAtLocations } from './locations';
import { rank, withEvidence } from './rank';
import { lexicalSearch, type RankedId } from './lexical';
import { analyzeQuery } from './query';
import { cosinesOf, vectorSearch } from './vector';
import { currentModel, vectorTableExists } from '../store/vectors';
import { pathVocabularyOf } from '../store/pathWordCounts';
import { wordStem } from '../text/identifiers';
import { ChunkBodies } from '../store/chunkText';

/** Candidates the lexical side contributes before fusion (and the vector side, up to VECTOR_DEPTH). */
const CANDIDATE_DEPTH = 100;
/**
 * Nearest vectors taken: the vector side's weight is small, and above 40k chunks each candidate costs
 * an exact rescoring (100 would double search time at 100k chunks for no measurable gain).
 */
const VECTOR_DEPTH = 50;

export interface SearchOptions {
  readonly limit: number;
  /** Which retrievers run; the eval compares each alone with both. */
  readonly retrievers?: readonly Retriever[];
  readonly fusion?: FusionWeights;
  /** How many candidates each retriever contributes before fusion. */
  readonly depth?: number;
  readonly signal?: AbortSignal;
  /** Called with every candidate's reranker features when both retrievers ran (training the reranker). */
  readonly onCandidates?: (candidates: readonly CandidateFeatures[]) => void;
}

export interface SearchHit extends Hit {
  /** Path as shown to users: prefixed by the root's name when the index has several roots. */
  readonly displayPath: string;
  readonly rootPath: string;
  readonly hash: string;
}

export interface SearchOutcome {
  readonly hits: readonly SearchHit[];
  /** Set when the vector side could not run (model failure); results are lexical-only. */
  readonly degraded: string | null;
}

/** Scores candidates by the learned fusion; exp keeps them positive for the multiplicative rules that follow. */
function learnedFusion(features: readonly CandidateFeatures[], fused: readonly Candidate[], reranker: LearnedReranker): Candidate[] {
  const byName = new Map(reranker.features.map((name, i) => [name, reranker.weights[i] ?? 0]));
  const weights = FEATURE_NAMES.map((name) => byName.get(name) ?? 0);
  const sources = new Map(fused.map((c) => [c.chunkId, c.sources]));
  return features.map((f) => ({ chunkId: f.chunkId, score: Math.exp(learnedScore(f.features, weights)), sources: sources.get(f.chunkId) ?? [] }));
}

/** Hybrid search: BM25 and vector KNN for the same query, fused, boosted and diversified. */
export async function search(store: IndexStore, embedder: Embedder, text: string, options: SearchOptions): Promise<SearchOutcome> {
  const query = analyzeQuery(text);
  const retrievers = options.retrievers ?? ['lexical', 'vector'];
  // The same candidates whatever the limit, so the first N of a longer list are the list for N.
  const depth = options.depth ?? Math.max(CANDIDATE_DEPTH, options.limit);
  const lists: Array<{ retriever: Retriever; ranked: RankedId[] }> = [];
  let degraded: string | null = null;
  let queryVector: Float32Array | null = null;
  // Blocks inflated to score lexical candidates serve reading the fused candidates after.
  const bodies = new ChunkBodies();
  if (retrievers.includes('lexical') && query.match !== null) {
    lists.push({ retriever: 'lexical', ranked: lexicalSearch(store.db, query.terms, depth, bodies) });
  }
  const indexModel = currentModel(store.db);
  if (retrievers.includes('vector') && indexModel?.id !== embedder.id) {
    degraded = indexModel === null ? 'no vectors yet (index first)' : `the index was built with model ${indexModel.id}, not ${embedder.id}; re-index to use it`;
  } else if (retrievers.includes('vector') && text.trim() !== '' && vectorTableExists(store.db) && (query.kind !== 'symbol' || !retrievers.includes('lexical'))) {
    // A symbol lookup is answered by names (lexical and the definitions table); nearest vectors only blur it.
    const result = await embedder.embed([text], 'query', options.signal);
    const vector = result.status === 'ok' ? result.vectors[0] : undefined;
    if (vector !== undefined) {
      queryVector = vector;
      // Beside lexical, a fixed depth up to the candidate depth (limit-independent); alone, as deep as the lexical side would be.
      const vectorDepth = options.depth ?? (retrievers.includes('lexical') && options.limit <= CANDIDATE_DEPTH ? VECTOR_DEPTH : depth);
      lists.push({ retriever: 'vector', ranked: vectorSearch(store.db, embedder.id, vector, vectorDepth) });
    } else degraded = result.status === 'error' ? `vector search unavailable: ${result.message}` : 'vector search cancelled';
  }
  const fusion = fusionFor(options.fusion ?? embedder.fusion ?? DEFAULT_FUSION, query.kind);
  const fused = fuse(lists, fusion);
  const definitions = retrievers.includes('lexical') ? definingChunks(store.db, query.symbols) : new Map<number, string>();
  const locations = retrievers.includes('lexical') ? chunksAtLocations(store.db, query.locations) : new Map<number, string>();
  const ids = new Set([...fused.map((c) => c.chunkId), ...definitions.keys(), ...locations.keys()]);
  const rows = new Map<number, ChunkRow>(readChunks(store.db, [...ids], bodies).map((r) => [r.id, r]));
  const lexical = lists.find((l) => l.retriever === 'lexical');
  const vector = lists.find((l) => l.retriever === 'vector');
  let scored: Candidate[] = fused;
  if (lexical !== undefined && vector !== undefined && queryVector !== null && (fusion.reranker !== undefined || options.onCandidates !== undefined)) {
    // The vector list's distances are cosine distances already: only lexical-only candidates need a lookup.
    const cosines = new Map(vector.ranked.map((r) => [r.chunkId, 1 - r.raw]));
    for (const [id, cos] of cosinesOf(store.db, embedder.id, queryVector, fused.filter((c) => !cosines.has(c.chunkId)).map((c) => c.chunkId))) cosines.set(id, cos);
    const features = candidateFeatures(lexical.ranked, vector.ranked, rows, cosines);
    options.onCandidates?.(features);
    if (fusion.reranker !== undefined) scored = learnedFusion(features, fused, fusion.reranker);
  }
  const ranked = rank(withEvidence(scored, definitions, locations), rows, query, { definitions, locations, vocabulary: pathVocabularyOf(store.db, query.words.map(wordStem)) }).slice(0, options.limit);
  const multiRoot = rootCount(store.db) > 1;
  const hits = ranked.flatMap((c): SearchHit[] => {
    const row = rows.get(c.chunkId);
    if (row === undefined) return [];
    return [{
      chunkId: row.id, rootName: row.rootName, relPath: row.relPath, startLine: row.startLine, endLine: row.endLine,
      symbol: row.symbol, kind: row.kind, text: row.text, score: c.score, sources: [...new Set(c.sources)],
      displayPath: displayPath(multiRoot, row.rootName, row.relPath), rootPath: row.rootPath, hash: row.hash,
    }];
  });
  return { hits, degraded };
}
