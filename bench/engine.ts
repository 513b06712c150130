/**
 * Engine benchmark: cold index, incremental update, search latency at ~10k and ~100k chunks,
 * peak RSS, and ripgrep on the same queries. Writes bench/results/engine.json.
 * Numbers come from one run on this machine; nothing here is a pass/fail test.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createEmbedder } from '../src/engine/embed/createEmbedder';
import type { Embedder } from '../src/engine/embed/embedder';
import { NoModel } from './noModel';
import { freshIndex } from './freshIndex';
import { vectorSearch } from '../src/engine/retrieve/vector';
import type { Retriever } from '../src/engine/types';
import { Workspace } from '../src/engine/workspace';
import { CORPUS_PACKAGES, ensureCopies, ensureCorpus } from './corpus';
import { BENCH_QUERIES } from './queries';
import { mcpSearchLatency } from './mcpLatency';
import { ripgrepLatency } from './ripgrep';
import { warmCliSearch } from './cliLatency';
import { peakRssMiB, percentile, round, writeResult } from './stats';

const ROOT = path.resolve(__dirname, '..', '..');
const WORK = path.join(ROOT, 'bench', 'corpus');
const RESULTS = path.join(ROOT, 'bench', 'results');

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

const EMBEDDER = createEmbedder(undefined);

async function searchLatencies(ws: Workspace, retrievers: readonly Retriever[], rounds = 3): Promise<{ p50: number; p95: number; n: number }> {
  for (const q of BENCH_QUERIES.slice(0, 3)) await ws.search(q, { limit: 10, retrievers });
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of BENCH_QUERIES) {
      const t0 = performance.now();
      await ws.search(q, { limit: 10, retrievers });
      times.push(performance.now() - t0);
    }
  }
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), n: times.length };
}

async function indexFresh(roots: readonly string[], name: string, embedder: Embedder = EMBEDDER): Promise<{ ws: Workspace; seconds: number; files: number; chunks: number }> {
  const { ws, seconds, summary } = await freshIndex(path.join(WORK, 'db', `${name}.db`), roots.map((p) => ({ name: path.basename(p), path: p })), embedder);
  const status = ws.status();
  log(`${name}: ${status.filesIndexed} files, ${status.chunks} chunks in ${seconds.toFixed(1)} s`);
  return { ws, seconds, files: summary.filesSeen, chunks: status.chunks };
}

/** Approximate (binary scan + rescoring) against exact vector search on the same index. */
async function annQuality(ws: Workspace): Promise<{ recallAt10: number; exactMs: { p50: number; p95: number }; approximateMs: { p50: number; p95: number } }> {
  const db = ws.indexStore.db;
  const exactTimes: number[] = [];
  const approxTimes: number[] = [];
  let recall = 0;
  const queries: Float32Array[] = [];
  for (const q of BENCH_QUERIES) {
    const result = await ws.embedder.embed([q], 'query');
    const v = result.status === 'ok' ? result.vectors[0] : undefined;
    if (v !== undefined) queries.push(v);
  }
  // Each path in its own pass: the exact scan reads every vector, which would evict the pages the approximate path reads.
  const approximate = queries.map((v) => {
    const t0 = performance.now();
    const found = vectorSearch(db, ws.embedder.id, v, 10, { exactMaxChunks: 0 });
    approxTimes.push(performance.now() - t0);
    return new Set(found.map((r) => r.chunkId));
  });
  queries.forEach((v, i) => {
    const t0 = performance.now();
    const exact = vectorSearch(db, ws.embedder.id, v, 10, { exactMaxChunks: Number.POSITIVE_INFINITY });
    exactTimes.push(performance.now() - t0);
    const found = approximate[i] ?? new Set<number>();
    recall += exact.filter((r) => found.has(r.chunkId)).length / Math.max(1, exact.length);
  });
  return {
    recallAt10: round(recall / BENCH_QUERIES.length, 3),
    exactMs: { p50: round(percentile(exactTimes, 50)), p95: round(percentile(exactTimes, 95)) },
    approximateMs: { p50: round(percentile(approxTimes, 50)), p95: round(percentile(approxTimes, 95)) },
  };
}

async function main(): Promise<void> {
  const src = ensureCorpus(WORK);
  log(`corpus at ${src}`);

  // 1. Cold index of the whole corpus: without a model (lexical only), then with the built-in model.
  const lexicalOnly = await indexFresh([src], 'full-no-model', new NoModel());
  lexicalOnly.ws.close();
  const cold = await indexFresh([src], 'full');
  const ws = cold.ws;

  // 2. Incremental: a no-op update, then one touched file (append a line) per round — found by a
  // full walk (the CLI) and decided alone (the language server, told the path by a save or file event).
  const noop: number[] = [];
  const touched: number[] = [];
  const touchedAlone: number[] = [];
  const target = path.join(src, 'lodash', 'debounce.js');
  const original = readFileSync(target, 'utf8');
  for (let i = 0; i < 5; i++) {
    let t0 = performance.now();
    await ws.update();
    noop.push(performance.now() - t0);
    appendFileSync(target, `\n// touched ${i}\n`);
    t0 = performance.now();
    const s = await ws.update();
    touched.push(performance.now() - t0);
    if (s.filesIndexed !== 1) throw new Error(`expected 1 re-indexed file, got ${s.filesIndexed}`);
    appendFileSync(target, `// and again ${i}\n`);
    t0 = performance.now();
    const alone = await ws.update(undefined, undefined, undefined, new Set([target]));
    touchedAlone.push(performance.now() - t0);
    if (alone.filesIndexed !== 1 || alone.filesSeen !== 1) throw new Error(`expected 1 file decided and re-indexed, got ${alone.filesSeen}/${alone.filesIndexed}`);
  }
  writeFileSync(target, original);
  await ws.update();
  const searchFull = { hybrid: await searchLatencies(ws, ['lexical', 'vector']), lexical: await searchLatencies(ws, ['lexical']) };
  ws.close();
  // The same index through `sourceline mcp` over stdio (a server process, as an agent uses it).
  const mcp = await mcpSearchLatency([src], path.join(WORK, 'db', 'full.db'));

  // 3. ~10k chunks: a subset of the corpus (lodash, rxjs, @types/node, three's src).
  const small = await indexFresh(['lodash', 'rxjs', '@types__node', 'three/src'].map((p) => path.join(src, p)), 'small');
  const searchSmall = { chunks: small.chunks, hybrid: await searchLatencies(small.ws, ['lexical', 'vector']), lexical: await searchLatencies(small.ws, ['lexical']) };
  small.ws.close();

  // 4. ~100k chunks: copies of the corpus as further roots.
  const copies = Math.max(1, Math.ceil(100_000 / cold.chunks) - 1);
  const large = await indexFresh([src, ...ensureCopies(WORK, src, copies)], 'large');
  const searchLarge = {
    chunks: large.chunks,
    hybrid: await searchLatencies(large.ws, ['lexical', 'vector']),
    lexical: await searchLatencies(large.ws, ['lexical']),
    vectorPaths: await annQuality(large.ws),
  };
  large.ws.close();
  const cliLarge = { chunks: large.chunks, ...(await warmCliSearch({ db: path.join(WORK, 'db', 'large.db'), cwd: WORK, queries: BENCH_QUERIES, update: false })), goal: 200, note: 'a new process each time, on the ~100k-chunk index (--no-update): through the resident process, and in a process of its own' };

  const rg = ripgrepLatency(src, BENCH_QUERIES, 3, log);
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version },
    embedder: EMBEDDER.id,
    corpus: { packages: CORPUS_PACKAGES.map((p) => `${p.name}@${p.version}`), files: cold.files, chunks: cold.chunks },
    coldIndex: {
      secondsWithoutModel: round(lexicalOnly.seconds),
      modelOverLexicalOnly: round(cold.seconds / lexicalOnly.seconds),
      seconds: round(cold.seconds),
      filesPerSecond: round(cold.files / cold.seconds),
      chunksPerSecond: round(cold.chunks / cold.seconds),
    },
    incremental: {
      noChangeMs: { p50: round(percentile(noop, 50)), max: round(Math.max(...noop)) },
      oneFileTouchedMs: { p50: round(percentile(touched, 50)), max: round(Math.max(...touched)) },
      oneFileTouchedPathGivenMs: { p50: round(percentile(touchedAlone, 50)), max: round(Math.max(...touchedAlone)) },
      targetMs: 300,
    },
    searchMs: { full: { chunks: cold.chunks, ...searchFull }, small: searchSmall, large: searchLarge, goalHybridP95AtLarge: 20 },
    warmCliSearchMs: cliLarge,
    mcpSearchMs: { chunks: cold.chunks, ...mcp, target: { p50: 20, p95: 50 }, note: 'search_code over the stdio transport of a `sourceline mcp` process, round trip included' },
    ripgrepSameQueriesMs: rg,
    peakRssMiB: peakRssMiB(),
  };
  writeResult(path.join(RESULTS, 'engine.json'), result);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
