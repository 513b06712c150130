/**
 * Mines training pairs for Sourceline's built-in embedding model (tools/embedder/corpus.ts says from
 * where), with the engine's own walker, chunker and tokenizer, so training sees what indexing
 * produces. Writes token-count tables for tools/embedder/train.py.
 *
 *   doc comment → its unit with the comment removed (as `sourceline eval` blanks it)
 *   identifier words → the unit it names (`parse query string` → parseQueryString)
 *   README/docs section → the unit it names (sectionPairs.ts)
 *   commit message → the unit the commit changed (commitPairs.ts), for roots with history
 *   hard negatives: BM25 near-misses from the same package — the candidates retrieval really faces.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { mirrorOf } from '../../bench/devsets/repos';
import { identifierParts, words } from '../../src/engine/text/identifiers';
import { languageNameOf, pathRole } from '../../src/engine/walk/fileKinds';
import { readSource } from '../../src/engine/walk/readSource';
import { DEFAULT_WALK_OPTIONS, walkRoot } from '../../src/engine/walk/walk';
import { Bm25 } from './bm25';
import { commitPairs } from './commitPairs';
import { trainingRoots, WORK, type TrainingRoot } from './corpus';
import { sectionPairs } from './sectionPairs';
import { unitsOf, type SourceText, type Unit } from './units';

const VOCAB_SIZE = 100_000;
const MIN_COUNT = 3;
const HARD_NEGATIVES = 3;
const MAX_TOKENS_PER_TEXT = 512;
/** Source files read per root at most (a stable sample by path hash): no one package dominates. */
const MAX_FILES_PER_ROOT = 12_000;
const MAX_MARKDOWN_PER_ROOT = 300;
/** Commits read per repository with history. */
const HISTORY = 4000;
/** Source and API declarations (`.d.ts`, whose doc comments describe the API); not tests, docs or fixtures. */
const TRAINED_ROLES: ReadonlySet<string> = new Set(['source', 'declaration']);
const PAIR_KINDS = ['doc', 'identifier', 'section', 'commit'] as const;
type PairKind = (typeof PAIR_KINDS)[number];

/** Reported language of a pair: its positive's file extension, grouped. */
function languageOfPath(relPath: string): string {
  const name = languageNameOf(relPath.slice(relPath.lastIndexOf('/') + 1));
  return name === null || name === 'markdown' ? 'other' : name;
}

interface Pair {
  readonly query: number;
  readonly positive: number;
  readonly kind: PairKind;
  readonly language: string;
  readonly heldOut: boolean;
  negatives: number[];
}

function log(message: string): void {
  process.stderr.write(`[mine] ${message}\n`);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Every token ever seen gets a corpus id; texts are stored as id arrays, not strings. */
class Corpus {
  readonly tokenIds = new Map<string, number>();
  readonly tokens: string[] = [];
  readonly texts: Int32Array[] = [];

  add(text: string): number {
    const ids = words(text).slice(0, 4 * MAX_TOKENS_PER_TEXT).map((t) => {
      let id = this.tokenIds.get(t);
      if (id === undefined) {
        id = this.tokens.length;
        this.tokens.push(t);
        this.tokenIds.set(t, id);
      }
      return id;
    });
    this.texts.push(Int32Array.from(ids));
    return this.texts.length - 1;
  }
}

async function filesOf(root: string): Promise<{ sources: SourceText[]; markdown: string[] }> {
  const code: Array<{ key: string; candidate: Parameters<typeof readSource>[0] }> = [];
  const docs: Array<{ key: string; candidate: Parameters<typeof readSource>[0] }> = [];
  for await (const entry of walkRoot({ name: path.basename(root), path: root }, DEFAULT_WALK_OPTIONS)) {
    if (entry.type !== 'candidate') continue;
    const rel = entry.candidate.relPath;
    const item = { key: sha1(rel), candidate: entry.candidate };
    if (/\.(md|markdown)$/i.test(rel)) docs.push(item);
    else if (TRAINED_ROLES.has(pathRole(rel)) && languageOfPath(rel) !== 'other') code.push(item);
  }
  const sample = <T extends { key: string }>(list: T[], n: number): T[] => list.sort((a, b) => (a.key < b.key ? -1 : 1)).slice(0, n);
  const sources: SourceText[] = [];
  for (const { candidate } of sample(code, MAX_FILES_PER_ROOT)) {
    const read = await readSource(candidate, DEFAULT_WALK_OPTIONS.maxFileBytes);
    if (read.type === 'source') sources.push({ relPath: read.file.relPath, text: read.file.text, language: read.file.language });
  }
  const markdown: string[] = [];
  for (const { candidate } of sample(docs, MAX_MARKDOWN_PER_ROOT)) {
    const read = await readSource(candidate, DEFAULT_WALK_OPTIONS.maxFileBytes);
    if (read.type === 'source') markdown.push(read.file.text);
  }
  return { sources, markdown };
}

async function mineRoot(root: TrainingRoot, corpus: Corpus, seen: Set<string>, pairs: Pair[]): Promise<void> {
  const { sources, markdown } = await filesOf(root.dir);
  const unitId = new Map<Unit, number>();
  const byPath = new Map<string, Unit[]>();
  const byName = new Map<string, Unit[]>();
  for (const file of sources) {
    for (const unit of await unitsOf(file)) {
      const key = sha1(unit.text.slice(unit.text.indexOf('\n') + 1));
      if (seen.has(key)) continue;
      seen.add(key);
      unitId.set(unit, corpus.add(unit.text));
      push(byPath, unit.relPath, unit);
      if (unit.name !== '') push(byName, unit.name, unit);
    }
  }
  const before = pairs.length;
  const counts: Record<PairKind, number> = { doc: 0, identifier: 0, section: 0, commit: 0 };
  const pair = (query: string, unit: Unit, kind: PairKind): void => {
    const positive = unitId.get(unit);
    if (positive === undefined) return;
    pairs.push({ query: corpus.add(query), positive, kind, language: languageOfPath(unit.relPath), heldOut: root.heldOut, negatives: [] });
    counts[kind]++;
  };
  for (const unit of unitId.keys()) {
    if (unit.doc !== null) pair(unit.doc, unit, 'doc');
    const parts = identifierParts(unit.name);
    if (parts.length >= 3) pair(parts.join(' '), unit, 'identifier');
  }
  for (const p of sectionPairs(markdown, byName)) pair(p.query, p.unit, 'section');
  if (root.repo !== null) for (const p of commitPairs(mirrorOf(root.repo), root.repo.commit, HISTORY, byPath)) pair(p.query, p.unit, 'commit');

  const bm25 = new Bm25([...unitId.values()].map((id) => ({ id, tokens: corpus.texts[id] ?? new Int32Array() })));
  for (let i = before; i < pairs.length; i++) {
    const p = pairs[i];
    if (p === undefined) continue;
    p.negatives = bm25.top(corpus.texts[p.query] ?? new Int32Array(), HARD_NEGATIVES + 1).filter((d) => d !== p.positive).slice(0, HARD_NEGATIVES);
  }
  log(`${root.pkg}${root.heldOut ? ' (held out)' : ''}: ${sources.length} files, ${unitId.size} units, pairs ${JSON.stringify(counts)}`);
}

function writeTables(corpus: Corpus, pairs: readonly Pair[]): void {
  // Vocabulary: the most frequent tokens by document frequency; id 0 is padding.
  const df = new Int32Array(corpus.tokens.length);
  for (const t of corpus.texts) for (const id of new Set(t)) df[id] = (df[id] ?? 0) + 1;
  const ranked = [...df.keys()].filter((id) => (df[id] ?? 0) >= MIN_COUNT).sort((a, b) => (df[b] ?? 0) - (df[a] ?? 0) || ((corpus.tokens[a] ?? '') < (corpus.tokens[b] ?? '') ? -1 : 1)).slice(0, VOCAB_SIZE - 1);
  const vocab = ['<pad>', ...ranked.map((id) => corpus.tokens[id] ?? '')];
  const remap = new Map(ranked.map((id, i) => [id, i + 1]));

  // texts.bin: per text [n, id1, count1, …]; pairs.bin: [query, positive, neg×3 (-1 pad), heldOut, kind, language]
  const textInts: number[] = [];
  const offsets: number[] = [];
  for (const t of corpus.texts) {
    const counts = new Map<number, number>();
    for (const tok of t) {
      const id = remap.get(tok);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const kept = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, MAX_TOKENS_PER_TEXT);
    offsets.push(textInts.length);
    textInts.push(kept.length);
    for (const [id, c] of kept) textInts.push(id, c);
  }
  const languages = [...new Set(pairs.map((p) => p.language))].sort();
  const pairInts: number[] = [];
  for (const p of pairs) pairInts.push(p.query, p.positive, ...[0, 1, 2].map((i) => p.negatives[i] ?? -1), p.heldOut ? 1 : 0, PAIR_KINDS.indexOf(p.kind), languages.indexOf(p.language));
  const out = path.join(WORK, 'data');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'texts.bin'), Buffer.from(new Int32Array(textInts).buffer));
  writeFileSync(path.join(out, 'offsets.bin'), Buffer.from(new Int32Array(offsets).buffer));
  writeFileSync(path.join(out, 'pairs.bin'), Buffer.from(new Int32Array(pairInts).buffer));
  writeFileSync(path.join(out, 'vocab.json'), JSON.stringify(vocab));
  writeFileSync(path.join(out, 'df.json'), JSON.stringify({ documents: corpus.texts.length, df: vocab.map((_, i) => (i === 0 ? 0 : df[ranked[i - 1] ?? 0] ?? 0)) }));
  writeFileSync(path.join(out, 'labels.json'), JSON.stringify({ kinds: PAIR_KINDS, languages }));
  const heldOut = pairs.filter((p) => p.heldOut).length;
  log(`${corpus.texts.length} texts, ${pairs.length} pairs (${heldOut} held out), vocabulary ${vocab.length}`);
}

async function main(): Promise<void> {
  const corpus = new Corpus();
  const pairs: Pair[] = [];
  const seen = new Set<string>();
  const only = process.argv.includes('--only') ? new Set((process.argv[process.argv.indexOf('--only') + 1] ?? '').split(',')) : null;
  for (const root of trainingRoots()) {
    if (only !== null && !only.has(root.pkg)) continue;
    try {
      await mineRoot(root, corpus, seen, pairs);
    } catch (error) {
      // One unreadable source costs its pairs, not the whole corpus.
      log(`${root.pkg}: left out (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  writeTables(corpus, pairs);
}

main().catch((error: unknown) => {
  process.stderr.write(`mine failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
