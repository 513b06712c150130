import { pathRole, type PathRole } from '../walk/fileKinds';
import type { Candidate } from './fuse';
import { pathMatch, type PathVocabulary } from './pathEvidence';
import type { AnalyzedQuery } from './query';
import { wordStem } from '../text/identifiers';

export interface RankFacts {
  readonly relPath: string;
  readonly symbol: string;
  readonly text: string;
}

export interface RankEvidence {
  /** Chunks that define a name the query asks for (retrieve/definitions.ts), by chunk id. */
  readonly definitions: ReadonlyMap<number, string>;
  /** Chunks at a line the request points to (stack frames: retrieve/locations.ts), by chunk id. */
  readonly locations: ReadonlyMap<number, string>;
  readonly vocabulary: PathVocabulary;
}

/**
 * How much lower each non-source role ranks when the query does not ask for it. Applied to the
 * fused score, after fusion: a test that both retrievers found stays below the source it tests.
 */
const ROLE_FACTOR: Readonly<Record<PathRole, number>> = {
  source: 1, declaration: 0.6, doc: 0.35, example: 0.35, test: 0.35, fixture: 0.3, template: 0.25, changelog: 0.1,
};
/** A role the request asks for ("tests for the parser") ranks a little above source, not far: the source stays near. */
const ASKED_ROLE_BOOST = 1.5;
/** A chunk that defines a name the query asks for: decisive for a symbol lookup, a hint otherwise. */
const DEFINITION_BOOST: Readonly<Record<AnalyzedQuery['kind'], number>> = { symbol: 4, question: 1.6, long: 1.4 };
const TEXT_MATCH_BOOST = 1.25;
/** A chunk that only imports things names many identifiers but explains nothing. */
const IMPORTS_ONLY_PENALTY = 0.3;
const STEM_WEIGHT = 0.8;
const FOLDER_WEIGHT = 0.3;
/** Up to this many distinct query words, file-name matches count fully. */
const PATH_WORDS = 16;
/** A file the text names by path (an issue's stack frame, "see src/x.ts"). */
const MENTION_BOOST = 3;
/** The very lines a stack frame points at, on top of the file's mention. */
const LOCATION_BOOST = 1.5;
/** Share of the next-best chunks of the same file added to a chunk: several good chunks make the file likelier. */
const FILE_SUPPORT = 0.25;
/** Each further chunk of a file already in the results counts this much less: show more files. */
const SAME_FILE_DECAY = 0.7;

const IMPORT_LINE = /^\s*(import\s|export\s+(\*|\{[^}]*\})\s+from\s|from\s+\S+\s+import\s|using\s+[\w.]+;|#include\s|package\s+[\w.]+;?$|use\s+[\w:{}, ]+;|(const|let|var)\s+\w+\s*=\s*require\(|['"]use strict['"];?$|\}?\s*from\s+['"])/;

export function isImportsOnly(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !/^\s*(\/\/|#(?!include)|\/?\*)/.test(l));
  // Bare `name,` lines belong to a multi-line import list; at least one real import line must be there.
  return lines.some((l) => IMPORT_LINE.test(l)) && lines.every((l) => IMPORT_LINE.test(l) || /^\s*[\w$]+,?\s*$/.test(l));
}

function asked(role: PathRole, query: AnalyzedQuery): boolean {
  switch (role) {
    case 'test': return query.wantsTests;
    case 'fixture': return query.wantsFixtures;
    case 'doc': case 'changelog': return query.wantsDocs;
    case 'example': return query.wantsExamples || query.wantsDocs;
    default: return false;
  }
}

/** The text names this file: by its path, a tail of it (`parse.ts`), or a longer path ending in it (an absolute frame path). */
function mentions(query: AnalyzedQuery, relPath: string): boolean {
  return query.paths.some((p) => relPath === p || relPath.endsWith(`/${p}`) || p.endsWith(`/${relPath}`));
}

/**
 * Adds the chunks the evidence names (definitions of queried names, lines of stack frames) when
 * neither retriever returned them, at the tenth candidate's score: the boosts then decide.
 */
export function withEvidence(candidates: readonly Candidate[], ...named: ReadonlyArray<ReadonlyMap<number, string>>): Candidate[] {
  const present = new Set(candidates.map((c) => c.chunkId));
  const floor = candidates[Math.min(9, candidates.length - 1)]?.score ?? 1;
  const added: Candidate[] = [];
  for (const ids of named) {
    for (const chunkId of ids.keys()) {
      if (present.has(chunkId)) continue;
      present.add(chunkId);
      added.push({ chunkId, score: floor, sources: ['lexical'] });
    }
  }
  return [...candidates, ...added];
}

/**
 * The ranking stack after fusion: role, definition, identifier, file-name and mention evidence per
 * chunk, then file-level support and diversity. Depends only on the candidates, not on how many
 * results are wanted, so the first N of a longer list are the list for N.
 */
export function rank(candidates: readonly Candidate[], facts: ReadonlyMap<number, RankFacts>, query: AnalyzedQuery, evidence: RankEvidence): Candidate[] {
  const queryWords = new Set(query.words.map(wordStem));
  // A long text names many files' words by the way: each match counts less the more words there are.
  const pathWeight = Math.min(1, PATH_WORDS / Math.max(1, queryWords.size));
  // "tests for parseConfig" wants the tests: the definition is then a hint, not the answer.
  const wantsRole = query.wantsTests || query.wantsDocs || query.wantsFixtures || query.wantsExamples;
  const definitionBoost = wantsRole ? DEFINITION_BOOST.question : DEFINITION_BOOST[query.kind];
  const pathFactor = new Map<string, number>();
  const factorOf = (relPath: string): number => {
    const known = pathFactor.get(relPath);
    if (known !== undefined) return known;
    const m = pathMatch(evidence.vocabulary, queryWords, relPath);
    const role = pathRole(relPath);
    const f = (asked(role, query) ? ASKED_ROLE_BOOST : ROLE_FACTOR[role])
      * (1 + pathWeight * STEM_WEIGHT * Math.min(m.stem, 1.5)) * (1 + pathWeight * FOLDER_WEIGHT * Math.min(m.folders, 1))
      * (mentions(query, relPath) ? MENTION_BOOST : 1);
    pathFactor.set(relPath, f);
    return f;
  };
  const scored = candidates.flatMap((c): Array<Candidate & { relPath: string }> => {
    const f = facts.get(c.chunkId);
    if (f === undefined) return [];
    let score = c.score * factorOf(f.relPath);
    if (isImportsOnly(f.text)) score *= IMPORTS_ONLY_PENALTY;
    if (evidence.locations.has(c.chunkId)) score *= LOCATION_BOOST;
    if (evidence.definitions.has(c.chunkId)) score *= definitionBoost;
    else if (query.identifiers.some((id) => f.text.includes(id))) score *= TEXT_MATCH_BOOST;
    return [{ ...c, score, relPath: f.relPath }];
  });
  return diversify(withFileSupport(scored));
}

/** Each chunk gains a share of the two best other chunks of its file. */
function withFileSupport(scored: ReadonlyArray<Candidate & { relPath: string }>): Array<Candidate & { relPath: string }> {
  const byFile = new Map<string, number[]>();
  for (const c of scored) {
    const list = byFile.get(c.relPath);
    if (list === undefined) byFile.set(c.relPath, [c.score]);
    else list.push(c.score);
  }
  for (const list of byFile.values()) list.sort((a, b) => b - a);
  return scored.map((c) => {
    const list = byFile.get(c.relPath) ?? [];
    // The file's best scores without this chunk's own (one copy of it, should others tie).
    const own = list.indexOf(c.score);
    const others = own < 0 ? list.slice(0, 2) : [...list.slice(0, own), ...list.slice(own + 1)].slice(0, 2);
    return { ...c, score: c.score + FILE_SUPPORT * others.reduce((a, b) => a + b, 0) };
  });
}

const byScore = (a: Candidate, b: Candidate): number => b.score - a.score || a.chunkId - b.chunkId;

/** Each further chunk of a file already ranked counts less (scores must be positive). */
function diversify(candidates: ReadonlyArray<Candidate & { relPath: string }>): Candidate[] {
  const perFile = new Map<string, number>();
  return [...candidates].sort(byScore).map((c) => {
    const seen = perFile.get(c.relPath) ?? 0;
    perFile.set(c.relPath, seen + 1);
    return { chunkId: c.chunkId, score: c.score * SAME_FILE_DECAY ** seen, sources: c.sources };
  }).sort(byScore);
}
