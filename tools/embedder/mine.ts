/**
 * Mines training pairs for Sourceline's built-in embedding model from pinned npm packages and the
 * Python standard library, with the engine's own walker, chunker and tokenizer (so training sees
 * exactly what indexing produces). Writes token-count tables for tools/embedder/train.py.
 *
 *   pairs:  doc comment → its unit with the comment removed (as `sourceline eval` blanks it)
 *           identifier words → the unit it names (`parse query string` → parseQueryString)
 *   hard negatives: BM25 near-misses from the same package — the candidates retrieval really faces.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { chunkFile } from '../../src/engine/chunk/chunkFile';
import { embedTextOf } from '../../src/engine/store/indexStore';
import { docQuery } from '../../src/engine/text/docComments';
import { splitDocComment } from '../../src/engine/text/docComments';
import { identifierParts, words } from '../../src/engine/text/identifiers';
import { pathRole } from '../../src/engine/walk/fileKinds';
import { readSource } from '../../src/engine/walk/readSource';
import { DEFAULT_WALK_OPTIONS, walkRoot } from '../../src/engine/walk/walk';
import { ensureNpmCorpus, packageFolder } from '../npmCorpus';
import { DEBIAN_SOURCES, HELD_OUT, JAVA_SOURCES, PYTHON_PACKAGES, PYTHON_STDLIB, TRAIN_PACKAGES, assertNotReserved } from './packages';

const ROOT = path.resolve(__dirname, '..', '..');
const WORK = path.join(ROOT, '.cache', 'embedder');
const VOCAB_SIZE = 50_000;
const MIN_COUNT = 3;
const HARD_NEGATIVES = 3;
const MAX_TOKENS_PER_TEXT = 512;
const UNIT_KINDS: ReadonlySet<string> = new Set(['function', 'method', 'class', 'type']);

interface Text {
  readonly pkg: string;
  readonly tokens: readonly string[];
}

interface Pair {
  readonly pkg: string;
  readonly query: number;
  readonly positive: number;
  negatives: number[];
}

function log(message: string): void {
  process.stderr.write(`[mine] ${message}\n`);
}

/** A small in-memory BM25 over one package's documents, for hard negatives. */
class Bm25 {
  private readonly postings = new Map<string, Array<[number, number]>>();
  private readonly lengths: number[] = [];
  private readonly avg: number;
  private readonly n: number;

  constructor(docs: ReadonlyArray<{ id: number; tokens: readonly string[] }>) {
    for (const d of docs) {
      const counts = new Map<string, number>();
      for (const t of d.tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [t, c] of counts) {
        const list = this.postings.get(t) ?? [];
        list.push([d.id, c]);
        this.postings.set(t, list);
      }
      this.lengths[d.id] = d.tokens.length;
    }
    const ls = docs.map((d) => d.tokens.length);
    this.avg = ls.reduce((a, b) => a + b, 0) / Math.max(1, ls.length);
    this.n = docs.length;
  }

  top(query: readonly string[], k: number): number[] {
    const scores = new Map<number, number>();
    for (const t of new Set(query)) {
      const list = this.postings.get(t);
      if (list === undefined || list.length > this.n * 0.3) continue;
      const idf = Math.log(1 + (this.n - list.length + 0.5) / (list.length + 0.5));
      for (const [id, tf] of list) {
        const len = this.lengths[id] ?? this.avg;
        const s = (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * len) / this.avg));
        scores.set(id, (scores.get(id) ?? 0) + s);
      }
    }
    return [...scores].sort((a, b) => b[1] - a[1]).slice(0, k).map(([id]) => id);
  }
}

async function filesOf(root: string): Promise<Array<{ relPath: string; text: string; language: Parameters<typeof chunkFile>[0]['language'] }>> {
  const out: Array<{ relPath: string; text: string; language: Parameters<typeof chunkFile>[0]['language'] }> = [];
  for await (const entry of walkRoot({ name: path.basename(root), path: root }, DEFAULT_WALK_OPTIONS)) {
    if (entry.type !== 'candidate' || pathRole(entry.candidate.relPath) !== 'source') continue;
    const read = await readSource(entry.candidate, DEFAULT_WALK_OPTIONS.maxFileBytes);
    if (read.type === 'source' && read.file.language !== null && read.file.language !== 'markdown') {
      out.push({ relPath: read.file.relPath, text: read.file.text, language: read.file.language });
    }
  }
  return out;
}

/** Extracts the pinned Java folders from the JDK's src.zip into the cache (once); none without the package. */
function javaSources(): Array<{ pkg: string; dir: string }> {
  const jvm = '/usr/lib/jvm';
  const jdk = existsSync(jvm) ? readdirSync(jvm).sort().find((d) => d.startsWith(JAVA_SOURCES.jvmPrefix)) : undefined;
  const zip = jdk === undefined ? '' : path.join(jvm, jdk, 'lib', 'src.zip');
  if (!existsSync(zip)) {
    log(`no ${JAVA_SOURCES.debian}: Java sources left out`);
    return [];
  }
  const out = path.join(WORK, 'java');
  if (!existsSync(out)) execFileSync('unzip', ['-q', '-o', zip, ...JAVA_SOURCES.folders.map((f) => `${f}/*`), '-d', out]);
  return JAVA_SOURCES.folders.map((f) => ({ pkg: JAVA_SOURCES.name, dir: path.join(out, f) })).filter((r) => existsSync(r.dir));
}

async function main(): Promise<void> {
  assertNotReserved();
  const npmSrc = ensureNpmCorpus(path.join(WORK, 'corpus'), TRAIN_PACKAGES);
  const roots: Array<{ pkg: string; dir: string }> = [
    ...TRAIN_PACKAGES.map((p) => ({ pkg: p.name, dir: path.join(npmSrc, packageFolder(p.name)) })),
    { pkg: 'python-stdlib', dir: PYTHON_STDLIB },
    ...PYTHON_PACKAGES.filter((p) => existsSync(p.dir)).map((p) => ({ pkg: p.name, dir: p.dir })),
    ...DEBIAN_SOURCES.flatMap((d) => d.folders.map((f) => ({ pkg: d.name, dir: path.join(d.dir, f) })).filter((r) => existsSync(r.dir))),
    ...javaSources(),
  ];
  const texts: Text[] = [];
  const pairs: Pair[] = [];
  const seen = new Set<string>();
  const addText = (pkg: string, text: string): number => {
    texts.push({ pkg, tokens: words(text).slice(0, 4 * MAX_TOKENS_PER_TEXT) });
    return texts.length - 1;
  };
  for (const { pkg, dir } of roots) {
    const files = await filesOf(dir);
    const docs: Array<{ id: number; tokens: readonly string[] }> = [];
    let before = pairs.length;
    for (const file of files) {
      for (const chunk of await chunkFile({ relPath: file.relPath, text: file.text, language: file.language })) {
        const split = splitDocComment(chunk.text);
        const key = createHash('sha1').update(split?.code ?? chunk.text).digest('hex');
        if (seen.has(key)) continue;
        seen.add(key);
        // Documents as the index holds them: a documented unit without its comment (as the eval
        // blanks it), since at query time the comment's words must not be what finds it.
        const docText = embedTextOf({ context: chunk.context, text: split?.code ?? chunk.text });
        const id = addText(pkg, docText);
        docs.push({ id, tokens: texts[id]?.tokens ?? [] });
        if (split !== null && UNIT_KINDS.has(chunk.kind)) {
          const q = docQuery(split.doc);
          if (q.split(' ').length >= 4) pairs.push({ pkg, query: addText(pkg, q), positive: id, negatives: [] });
        }
        const last = chunk.symbol.split(/[.,]\s*/).pop() ?? '';
        const parts = identifierParts(last);
        if (parts.length >= 3 && pairs.length % 3 === 0) pairs.push({ pkg, query: addText(pkg, parts.join(' ')), positive: id, negatives: [] });
      }
    }
    const bm25 = new Bm25(docs);
    for (let i = before; i < pairs.length; i++) {
      const pair = pairs[i];
      if (pair === undefined) continue;
      pair.negatives = bm25.top(texts[pair.query]?.tokens ?? [], HARD_NEGATIVES + 1).filter((d) => d !== pair.positive).slice(0, HARD_NEGATIVES);
    }
    log(`${pkg}: ${files.length} files, ${docs.length} chunks, ${pairs.length - before} pairs`);
    before = pairs.length;
  }

  // Vocabulary: the most frequent tokens; id 0 is padding.
  const freq = new Map<string, number>();
  for (const t of texts) for (const tok of new Set(t.tokens)) freq.set(tok, (freq.get(tok) ?? 0) + 1);
  const vocab = ['<pad>', ...[...freq].filter(([, c]) => c >= MIN_COUNT).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, VOCAB_SIZE - 1).map(([t]) => t)];
  const index = new Map(vocab.map((t, i) => [t, i]));
  const df = vocab.map((t) => freq.get(t) ?? 0);

  // texts.bin: per text [n, id1, count1, …]; pairs.bin: [query, positive, neg×3 (-1 pad), heldOut]
  const textInts: number[] = [];
  const offsets: number[] = [];
  for (const t of texts) {
    const counts = new Map<number, number>();
    for (const tok of t.tokens) {
      const id = index.get(tok);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const kept = [...counts].sort((a, b) => b[1] - a[1]).slice(0, MAX_TOKENS_PER_TEXT);
    offsets.push(textInts.length);
    textInts.push(kept.length);
    for (const [id, c] of kept) textInts.push(id, c);
  }
  const pairInts: number[] = [];
  for (const p of pairs) pairInts.push(p.query, p.positive, ...[0, 1, 2].map((i) => p.negatives[i] ?? -1), HELD_OUT.has(p.pkg) ? 1 : 0);
  const out = path.join(WORK, 'data');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'texts.bin'), Buffer.from(new Int32Array(textInts).buffer));
  writeFileSync(path.join(out, 'offsets.bin'), Buffer.from(new Int32Array(offsets).buffer));
  writeFileSync(path.join(out, 'pairs.bin'), Buffer.from(new Int32Array(pairInts).buffer));
  writeFileSync(path.join(out, 'vocab.json'), JSON.stringify(vocab));
  writeFileSync(path.join(out, 'df.json'), JSON.stringify({ documents: texts.length, df }));
  const heldOut = pairs.filter((p) => HELD_OUT.has(p.pkg)).length;
  log(`${texts.length} texts, ${pairs.length} pairs (${heldOut} held out), vocabulary ${vocab.length}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`mine failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
