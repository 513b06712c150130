/**
 * Scale benchmark: a cold index of a real ~136,000-file corpus (bench/scale/debian.txt: the Linux
 * kernel, Go and Rust, pinned; `npm run bench:scale:corpus` fetches it), each index in its own
 * process, beside lexical-only indexing and ripgrep in the same run. Reports files/s, time to the
 * first lexical result while indexing, peak RSS per process, database size over indexed text,
 * save → searchable, search p50/p95 and a warm CLI search. Writes bench/results/scale.json.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createEmbedder } from '../src/engine/embed/createEmbedder';
import { analyzeQuery } from '../src/engine/retrieve/query';
import type { Retriever } from '../src/engine/types';
import { DEFAULT_WALK_OPTIONS } from '../src/engine/walk/walk';
import { Workspace } from '../src/engine/workspace';
import { isRecord } from '../src/shared/guards';
import { INDEX_SEMI_SPACE_MB, MALLOC_TUNING } from '../src/shared/mallocTuning';
import { ripgrepLatency } from './ripgrep';
import { warmCliSearch, type WarmCliLatency } from './cliLatency';
import { peakRssMiB, percentile, round, writeResult } from './stats';

const ROOT = path.resolve(__dirname, '..', '..');
/** The real path: the CLI names its root by the real current directory, so a symlinked corpus would be a second root. */
const CORPUS = realCorpus(process.env['SOURCELINE_SCALE_CORPUS'] ?? path.join(ROOT, 'bench', 'scale', 'src'));
const WORK = path.join(os.tmpdir(), 'sourceline-scale');
const RESULTS = path.join(ROOT, 'bench', 'results');

/** Questions about the corpus (kernel, Go, Rust), as a user of it would type them. */
const QUERIES = [
  'allocate socket buffer for a received network packet',
  'page fault handler for user space addresses',
  'spin lock with interrupts disabled',
  'register a character device driver',
  'ext4 journal commit transaction',
  'schedule the next runnable task on a cpu',
  'copy data from user space safely',
  'parse device tree node properties',
  'usb endpoint descriptor',
  'dial tcp connection with timeout',
  'parse http request headers',
  'garbage collector write barrier',
  'goroutine stack growth',
  'json decoder for struct fields',
  'tls handshake client hello',
  'borrow checker error for moved value',
  'type inference for closures',
  'parse rust attribute macro',
  'hash map with raw entry api',
  'format string arguments',
  'memory mapped file io',
  'crc32 checksum table',
  'utf8 validation of bytes',
  'binary search over sorted slice',
];

function realCorpus(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return folder; // not fetched yet: main() says how
  }
}

function log(message: string): void {
  process.stderr.write(`[bench:scale] ${message}\n`);
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** VmHWM (peak resident set) of a live process, in MiB; null once it is gone. */
function peakOf(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? null : Number(match[1]) / 1024;
  } catch {
    return null;
  }
}

interface ChildIndex {
  readonly seconds: number;
  readonly files: number;
  readonly filesIndexed: number;
  readonly chunks: number;
  readonly threads: number;
  readonly peakRssMiB: number;
  readonly firstLexicalResultSeconds: number | null;
}

/**
 * Indexes the corpus in a child process; meanwhile this process searches the growing index (read
 * only, as the language server's main thread does) until a lexical search first returns a hit.
 */
async function indexInChild(db: string, model: 'builtin' | 'none'): Promise<ChildIndex> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  const started = performance.now();
  // With the allocator tuning and young generation the language server's index thread runs with: this process stands in for it.
  const child = spawn(process.execPath, [`--max-semi-space-size=${INDEX_SEMI_SPACE_MB}`, path.join(__dirname, 'scaleIndex.js'), CORPUS, db, model], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...MALLOC_TUNING } });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let first: number | null = null;
  let peak = 0;
  let done = false;
  void exited.then(() => {
    done = true;
  });
  while (!done) {
    await new Promise((r) => setTimeout(r, 250));
    if (child.pid !== undefined) peak = Math.max(peak, peakOf(child.pid) ?? 0);
    if (first === null && existsSync(db)) first = lexicalHitAt(db, started);
  }
  const code = await exited;
  if (code !== 0) throw new Error(`the ${model} index exited with ${String(code)}`);
  const parsed: unknown = JSON.parse(out.trim().split('\n').pop() ?? '{}');
  if (!isRecord(parsed) || !isRecord(parsed['summary'])) throw new Error(`unexpected output of scaleIndex: ${out.slice(0, 200)}`);
  const summary = parsed['summary'];
  return {
    seconds: round(Number(parsed['seconds'])),
    files: Number(summary['filesSeen']),
    filesIndexed: Number(summary['filesIndexed']),
    chunks: Number(parsed['chunks']),
    threads: Number(summary['threads']),
    peakRssMiB: round(Math.max(peak, Number(parsed['peakRssMiB']))),
    firstLexicalResultSeconds: first,
  };
}

/** Seconds since `started` if a lexical search of the growing index finds something now, else null. */
function lexicalHitAt(db: string, started: number): number | null {
  let reader: Database.Database | undefined;
  try {
    // A plain read-only connection, as a second reader beside the writer: it must not migrate or repair.
    reader = new Database(db, { readonly: true, fileMustExist: true });
    const hit = reader.prepare('SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT 1').pluck().get(analyzeQuery('spin lock').match ?? 'lock');
    return hit === undefined ? null : round((performance.now() - started) / 1000);
  } catch {
    return null; // not created yet, or its schema not yet written: try again
  } finally {
    reader?.close();
  }
}

async function latencies(ws: Workspace, retrievers: readonly Retriever[]): Promise<{ p50: number; p95: number; n: number }> {
  for (const q of QUERIES.slice(0, 3)) await ws.search(q, { limit: 10, retrievers });
  const times: number[] = [];
  for (let r = 0; r < 2; r++) {
    for (const q of QUERIES) {
      const t0 = performance.now();
      await ws.search(q, { limit: 10, retrievers });
      times.push(performance.now() - t0);
    }
  }
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), n: times.length };
}

/** A saved file, decided alone (as the language server is told by the save), until a search finds its new word. */
async function saveToSearchable(ws: Workspace): Promise<{ p50: number; max: number }> {
  const target = path.join(CORPUS, 'linux', 'kernel', 'panic.c');
  const original = readFileSync(target, 'utf8');
  const times: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const word = `zqxsavedmarker${i}`;
      const t0 = performance.now();
      appendFileSync(target, `\n/* ${word} */\n`);
      await ws.update(undefined, undefined, undefined, new Set([target]));
      const found = await ws.search(word, { limit: 1, retrievers: ['lexical'] });
      times.push(performance.now() - t0);
      if (found.hits[0]?.relPath !== 'linux/kernel/panic.c') throw new Error(`the saved word ${word} was not found`);
    }
  } finally {
    writeFileSync(target, original);
    await ws.update(undefined, undefined, undefined, new Set([target]));
  }
  return { p50: round(percentile(times, 50)), max: round(Math.max(...times)) };
}

/** What is measured on a built index: its size, search, save → searchable, the CLI as a new process. */
async function measureIndex(fullDb: string): Promise<{ text: number; dbBytes: number; search: Record<'hybrid' | 'lexical', { p50: number; p95: number; n: number }>; save: { p50: number; max: number }; cli: Record<'noUpdate' | 'withUpdate', WarmCliLatency> }> {
  const ws = Workspace.open({ roots: [{ name: 'src', path: CORPUS }], dbPath: fullDb, walk: DEFAULT_WALK_OPTIONS, embedder: createEmbedder(undefined) });
  const text = Number(ws.indexStore.db.prepare("SELECT sum(size) FROM files WHERE status = 'indexed'").pluck().get());
  const dbBytes = fileSize(fullDb) + fileSize(`${fullDb}-wal`);
  const search = { hybrid: await latencies(ws, ['lexical', 'vector']), lexical: await latencies(ws, ['lexical']) };
  const save = await saveToSearchable(ws);
  ws.close();
  const cli = { noUpdate: await warmCliSearch({ db: fullDb, cwd: CORPUS, queries: QUERIES, update: false }), withUpdate: await warmCliSearch({ db: fullDb, cwd: CORPUS, queries: QUERIES, update: true }) };
  return { text, dbBytes, search, save, cli };
}

/**
 * `--reuse`: the index the last full run left, measured again without the two cold indexes (a
 * quick check of a search or save change); written to scale-reuse.json, scale.json is left as it is.
 */
async function measureReused(fullDb: string): Promise<void> {
  if (!existsSync(fullDb)) {
    log(`no index at ${fullDb} to reuse: run the bench once without --reuse`);
    return;
  }
  const { text, dbBytes, search, save, cli } = await measureIndex(fullDb);
  const result = {
    date: new Date().toISOString(),
    note: 'the index of the last full run, measured again (no cold indexes: see scale.json)',
    database: { MiB: round(dbBytes / 2 ** 20), overIndexedText: round(dbBytes / text) },
    saveToSearchableMs: { ...save, goal: 200 },
    searchMs: search,
    warmCliSearchMs: cli,
  };
  writeResult(path.join(RESULTS, 'scale-reuse.json'), result);
}

async function main(): Promise<void> {
  if (!existsSync(path.join(CORPUS, 'linux', 'kernel', 'panic.c'))) {
    log(`no scale corpus at ${CORPUS}: build it with \`npm run bench:scale:corpus\` (root; apt-get source, ~300 MB download), then run again`);
    return;
  }
  mkdirSync(WORK, { recursive: true });
  const lexicalDb = path.join(WORK, 'lexical.db');
  const fullDb = path.join(WORK, 'full.db');
  if (process.argv.includes('--reuse')) {
    await measureReused(fullDb);
    return;
  }
  log('cold index without a model (lexical only)…');
  const lexicalOnly = await indexInChild(lexicalDb, 'none');
  log(`lexical only: ${lexicalOnly.files} files in ${lexicalOnly.seconds} s`);
  const lexicalDbBytes = fileSize(lexicalDb) + fileSize(`${lexicalDb}-wal`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(lexicalDb + suffix, { force: true });
  log('cold index with the built-in model…');
  const full = await indexInChild(fullDb, 'builtin');
  log(`built-in model: ${full.files} files, ${full.chunks} chunks in ${full.seconds} s`);

  const { text, dbBytes, search, save, cli } = await measureIndex(fullDb);
  const rg = ripgrepLatency(CORPUS, QUERIES, 1, log);
  const rgP50 = rg.p50;
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version },
    corpus: { list: 'bench/scale/debian.txt', files: full.files, filesIndexed: full.filesIndexed, chunks: full.chunks, indexedTextMiB: round(text / 2 ** 20) },
    coldIndex: {
      builtin: { ...full, filesPerSecond: round(full.files / full.seconds), chunksPerSecond: round(full.chunks / full.seconds) },
      lexicalOnly: { ...lexicalOnly, filesPerSecond: round(lexicalOnly.files / lexicalOnly.seconds) },
      builtinOverLexicalOnly: round(full.seconds / lexicalOnly.seconds),
      goals: { filesPerSecond: 1000, firstLexicalResultSeconds: 10, peakRssMiB: 300 },
    },
    database: { MiB: round(dbBytes / 2 ** 20), overIndexedText: round(dbBytes / text), lexicalOnlyMiB: round(lexicalDbBytes / 2 ** 20), goal: 2 },
    saveToSearchableMs: { ...save, goal: 200 },
    searchMs: { ...search, goalHybridP95: 60, goalNote: 'hybrid p95 ≤ 60 ms at 1M chunks (≤ 20 at 100k: engine.json)', hybridOverRipgrepP50: rgP50 === null ? null : round(search.hybrid.p50 / rgP50, 3) },
    warmCliSearchMs: { ...cli, goal: 200, note: 'a new process each time, through the resident process and in a process of its own; withUpdate brings the index up to date first (the CLI default: a walk of the corpus in its own process, the resident process\'s watcher otherwise)' },
    ripgrepSameQueriesMs: rg,
    benchProcessPeakRssMiB: peakRssMiB(),
  };
  writeResult(path.join(RESULTS, 'scale.json'), result);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
