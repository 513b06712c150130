import { chunkWithin, DEFAULT_CHUNK_BUDGET_MS } from './chunk/chunkFile';
import { DEFAULT_LIMITS, type ChunkLimits } from './chunk/segments';
import type { Embedder } from './embed/embedder';
import { embedTextOf, type ChunkWrite, type FileState, type FileWrite, type IndexStore } from './store/indexStore';
import { readSource } from './walk/readSource';
import { sha256 } from './hash';
import { describeRedactions, redactSecrets, type Redacted } from './redact/redact';
import { absoluteFile, relativeInside } from './paths';
import { isRuleFile, walkPath, walkRoot, type WalkEntry, type WalkOptions } from './walk/walk';
import type { Chunk, Root, SkipReason, SkippedFile, SourceFile } from './types';
import { createError, describe } from '../shared/errors';
import { isSkipReason } from './walk/skipReasons';
import { clearVectorsPending, markVectorsPending, vectorsPending } from './store/vectors';

export interface IndexProgress {
  /** walking: files found so far (no total yet); indexing: files checked of the total; embedding: chunks given vectors after a model change. */
  readonly phase: 'walking' | 'indexing' | 'embedding' | 'done';
  readonly filesTotal: number;
  readonly filesDone: number;
  readonly currentPath: string;
}

export interface IndexSummary {
  readonly filesSeen: number;
  /** Files whose content was (re)chunked in this run. */
  readonly filesIndexed: number;
  readonly filesUnchanged: number;
  readonly filesDeleted: number;
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>;
  readonly chunksWritten: number;
  /** Chunks the model actually ran on; the rest came from the embedding cache. */
  readonly chunksEmbedded: number;
  /** Files chunked by line windows because the syntax chunker failed on them (a bug to report). */
  readonly chunkFallbacks: number;
  readonly seconds: number;
  readonly notice: string | null;
  /** Set when the embedding model failed: the index is complete for lexical search, vectors pending. */
  readonly degraded: string | null;
}

export interface IndexRequest {
  readonly roots: readonly Root[];
  readonly walk: WalkOptions;
  readonly embedder: Embedder;
  readonly limits?: ChunkLimits;
  /** How long one file may take to chunk before it is skipped as `timeout`. */
  readonly chunkBudgetMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: IndexProgress) => void;
  /** Texts of open editors by absolute path, saved or not: indexed instead of the files on disk. */
  readonly overlays?: ReadonlyMap<string, string>;
  /**
   * Only these paths (absolute; files or folders that changed, were created or deleted), without
   * walking the rest: each is decided by the same rules and checks as in a full walk, a folder is
   * walked, and a path that is gone takes the indexed files at and under it along. A changed rule
   * file (.gitignore, .sourcelineignore) makes its root walk in full.
   */
  readonly only?: ReadonlySet<string>;
}

/**
 * The mtime recorded for a file indexed from an editor's unsaved text. No file on disk has it, so
 * once the editor closes, the next run compares the disk's bytes again (and re-chunks if they differ).
 */
const OVERLAY_MTIME = -1;

/** A batch is committed when it holds this many files or chunks: bounded memory, cheap commits. */
const BATCH_FILES = 64;
const BATCH_CHUNKS = 2048;
const EMBED_BATCH = 256;
/** Cached vectors no chunk uses are kept this long, so switching back to a branch is cheap. */
const CACHE_MAX_AGE_MS = 14 * 24 * 3600 * 1000;

interface PendingFile {
  readonly rootId: number;
  readonly file: SourceFile;
  readonly chunks: readonly Chunk[];
  readonly redacted: string | null;
}

type Vectors = { readonly vectors: Float32Array[]; readonly embedded: number } | { readonly failed: string };

/**
 * Runs the embedder over texts not in the cache; one vector per input. A model failure is a value:
 * the caller indexes for lexical search only and leaves the vectors to a later run.
 */
async function vectorsFor(store: IndexStore, embedder: Embedder, items: ReadonlyArray<{ hash: string; text: string }>, signal?: AbortSignal): Promise<Vectors> {
  const vectors: Array<Float32Array | null> = items.map((it) => store.cachedVector(embedder.id, it.hash));
  const missing = items.flatMap((it, i) => (vectors[i] === null ? [{ i, text: it.text }] : []));
  for (let from = 0; from < missing.length; from += EMBED_BATCH) {
    const slice = missing.slice(from, from + EMBED_BATCH);
    const result = await embedder.embed(slice.map((m) => m.text), 'document', signal);
    if (result.status === 'cancelled') throw createError('cancelled', 'Indexing was cancelled.');
    if (result.status === 'error') return { failed: `the embedding model ${embedder.id} failed: ${result.message}` };
    slice.forEach((m, j) => {
      vectors[m.i] = result.vectors[j] ?? null;
    });
  }
  const out: Float32Array[] = [];
  for (const v of vectors) {
    if (v === null || v.length !== embedder.dims) return { failed: `the embedding model ${embedder.id} returned a vector of the wrong size` };
    out.push(v);
  }
  return { vectors: out, embedded: missing.length };
}

/**
 * Skip reasons that follow from the bytes alone, so unchanged bytes keep them. Not `too-large` (the
 * cap may have been raised), `unreadable` (a chmod keeps the mtime) or `secret` (re-includable).
 */
const CONTENT_VERDICTS: ReadonlySet<SkipReason> = new Set(['binary', 'minified', 'generated', 'undecodable']);

function isContentVerdict(reason: string | null): reason is SkipReason {
  return reason !== null && isSkipReason(reason) && CONTENT_VERDICTS.has(reason);
}

export function chunkHash(chunk: Chunk): string {
  return sha256(embedTextOf(chunk));
}

/** A read file made ready to store: redacted and chunked, or skipped with the reason. */
type Prepared =
  | { readonly type: 'chunks'; readonly file: SourceFile; readonly chunks: readonly Chunk[]; readonly redacted: string | null; readonly fallback: boolean }
  | { readonly type: 'skip'; readonly reason: SkipReason; readonly detail: string };

/**
 * Secrets are replaced before anything is chunked, stored, embedded or sent to a model; a file that
 * could not be scanned is not indexed at all (its secrets would go through unredacted).
 */
async function prepare(file: SourceFile, limits: ChunkLimits, budgetMs: number): Promise<Prepared> {
  let clean: Redacted;
  try {
    clean = await redactSecrets(file.text, file.relPath);
  } catch (error) {
    return { type: 'skip', reason: 'secret', detail: `could not be scanned for secrets (${describe(error)})` };
  }
  const redactedFile = { ...file, text: clean.text };
  const chunked = await chunkWithin(redactedFile, limits, budgetMs);
  if (chunked.type === 'timeout') return { type: 'skip', reason: 'timeout', detail: chunked.detail };
  const redacted = clean.redactions.length === 0 ? null : describeRedactions(clean.redactions);
  return { type: 'chunks', file: redactedFile, chunks: chunked.chunks, redacted, fallback: chunked.fallback !== null };
}

/**
 * Brings the index up to date with the roots: reads only files whose size or mtime changed (then
 * compares content hashes), re-embeds only chunk texts the model has not seen, removes deleted files.
 */
export async function indexRoots(store: IndexStore, request: IndexRequest): Promise<IndexSummary> {
  const started = performance.now();
  const { embedder, signal } = request;
  const limits = request.limits ?? DEFAULT_LIMITS;
  store.useModel({ id: embedder.id, dims: embedder.dims });
  const skipped: Partial<Record<SkipReason, number>> = {};
  let filesDone = 0;
  let filesIndexed = 0;
  let filesUnchanged = 0;
  let filesDeleted = 0;
  let chunksWritten = 0;
  let chunksEmbedded = 0;
  let chunkFallbacks = 0;
  let ops: FileWrite[] = [];
  let pending: PendingFile[] = [];
  let pendingChunks = 0;

  let degraded: string | null = null;
  const flush = async (): Promise<void> => {
    const items = pending.flatMap((p) => p.chunks.map((c) => ({ hash: chunkHash(c), text: embedTextOf(c) })));
    // After one failure the model is not tried again in this run: the rest is indexed lexically.
    const result: Vectors = degraded === null ? await vectorsFor(store, embedder, items, signal) : { failed: degraded };
    if ('failed' in result) {
      degraded ??= result.failed;
      markVectorsPending(store.db);
    }
    let k = 0;
    for (const p of pending) {
      const chunks: ChunkWrite[] = p.chunks.map((chunk) => {
        const item = items[k];
        const vector = 'vectors' in result ? (result.vectors[k] ?? null) : null;
        k++;
        if (item === undefined) throw createError('model-failed', 'internal: chunk count mismatch');
        return { chunk, hash: item.hash, vector };
      });
      ops.push({ type: 'indexed', rootId: p.rootId, file: { relPath: p.file.relPath, size: p.file.size, mtimeMs: p.file.mtimeMs, hash: p.file.hash, language: p.file.language, redacted: p.redacted }, chunks });
    }
    store.write(embedder.id, ops);
    chunksWritten += items.length;
    if ('embedded' in result) chunksEmbedded += result.embedded;
    ops = [];
    pending = [];
    pendingChunks = 0;
  };

  const recordSkip = (rootId: number, file: SkippedFile, hash: string | null, known: FileState | undefined): void => {
    skipped[file.reason] = (skipped[file.reason] ?? 0) + 1;
    const same = known?.status === 'skipped' && known.reason === file.reason && known.size === file.size && known.mtimeMs === file.mtimeMs;
    if (!same) ops.push({ type: 'skipped', rootId, file, hash });
  };

  // Walk first (stat only, cheap) so progress has a real total: "1,234 / 5,000 files".
  const walked: Array<{ rootId: number; entry: WalkEntry }> = [];
  const knownByRoot = new Map<number, Map<string, FileState>>();
  // Per root: null when walked in full, else the paths a partial run decided (files and folders).
  const scopes = new Map<number, ReadonlySet<string> | null>();
  for (const root of request.roots) {
    const rootId = store.ensureRoot(root);
    const known = store.fileStates(rootId);
    knownByRoot.set(rootId, known);
    const partial = request.only === undefined ? null : partialPaths(root, request.only);
    scopes.set(rootId, partial);
    if (partial !== null) {
      for (const entry of await partialEntries(root, partial, known, request, signal)) walked.push({ rootId, entry });
      continue;
    }
    for await (const entry of walkRoot(root, request.walk, signal, request.roots)) {
      walked.push({ rootId, entry });
      if (walked.length % 500 === 0) request.onProgress?.({ phase: 'walking', filesTotal: 0, filesDone: walked.length, currentPath: '' });
    }
  }
  const filesSeen = walked.length;
  const seen = new Set<string>();
  for (const { rootId, entry } of walked) {
    signal?.throwIfAborted();
    const known = knownByRoot.get(rootId) ?? new Map<string, FileState>();
    const relPath = entry.type === 'skipped' ? entry.skipped.relPath : entry.candidate.relPath;
    seen.add(`${rootId}\0${relPath}`);
    const state = known.get(relPath);
    if (entry.type === 'skipped') {
      recordSkip(rootId, entry.skipped, null, state);
    } else {
      const c = entry.candidate;
      const overlay = request.overlays?.get(c.absPath);
      const sameStat = overlay === undefined && state !== undefined && state.size === c.size && state.mtimeMs === c.mtimeMs;
      if (sameStat && state.status === 'indexed') {
        filesUnchanged++;
      } else if (sameStat && state.status === 'skipped' && isContentVerdict(state.reason) && !c.forced) {
        // Same bytes, same verdict: a minified or generated file is not re-read on every run.
        skipped[state.reason] = (skipped[state.reason] ?? 0) + 1;
      } else {
        const outcome = await readSource(c, request.walk.maxFileBytes, overlay);
        if (outcome.type === 'skipped') recordSkip(rootId, outcome.file, outcome.hash, state);
        else if (overlay !== undefined && state?.status === 'indexed' && state.hash === outcome.file.hash) {
          // The editor shows what is indexed. Its stat is not recorded: the disk may still differ.
          filesUnchanged++;
        } else if (state?.status === 'indexed' && state.hash === outcome.file.hash) {
          // Same bytes, new mtime (a checkout, a touch): no re-chunking.
          filesUnchanged++;
          ops.push({ type: 'touched', fileId: state.id, size: c.size, mtimeMs: c.mtimeMs });
        } else {
          const prepared = await prepare(overlay === undefined ? outcome.file : { ...outcome.file, mtimeMs: OVERLAY_MTIME }, limits, request.chunkBudgetMs ?? DEFAULT_CHUNK_BUDGET_MS);
          if (prepared.type === 'skip') {
            recordSkip(rootId, { root: c.root, relPath, size: outcome.file.size, mtimeMs: outcome.file.mtimeMs, reason: prepared.reason, detail: prepared.detail }, outcome.file.hash, state);
          } else {
            if (prepared.fallback) chunkFallbacks++;
            pending.push({ rootId, file: prepared.file, chunks: prepared.chunks, redacted: prepared.redacted });
            pendingChunks += prepared.chunks.length;
            filesIndexed++;
          }
        }
      }
    }
    filesDone++;
    if (pending.length + ops.length >= BATCH_FILES || pendingChunks >= BATCH_CHUNKS) await flush();
    request.onProgress?.({ phase: 'indexing', filesTotal: filesSeen, filesDone, currentPath: relPath });
  }
  // Files the walk no longer yields are gone; a partial run only knows about the paths it decided.
  for (const [rootId, known] of knownByRoot) {
    const partial = scopes.get(rootId) ?? null;
    for (const [relPath, state] of known) {
      if (partial !== null && !inScope(relPath, partial)) continue;
      if (!seen.has(`${rootId}\0${relPath}`)) {
        ops.push({ type: 'deleted', fileId: state.id });
        filesDeleted++;
      }
    }
  }
  await flush();
  if (degraded === null && vectorsPending(store.db)) {
    const backfill = await backfillVectors(store, embedder, signal, (done) =>
      request.onProgress?.({ phase: 'embedding', filesTotal: filesSeen, filesDone: done, currentPath: '' }),
    );
    if (typeof backfill === 'number') {
      chunksEmbedded += backfill;
      clearVectorsPending(store.db);
    } else {
      degraded = backfill.failed;
    }
  }
  if (filesIndexed + filesDeleted > 0) store.pruneCache(CACHE_MAX_AGE_MS);
  request.onProgress?.({ phase: 'done', filesTotal: filesSeen, filesDone: filesSeen, currentPath: '' });
  return {
    filesSeen, filesIndexed, filesUnchanged, filesDeleted, skipped, chunksWritten, chunksEmbedded, chunkFallbacks,
    seconds: (performance.now() - started) / 1000,
    notice: store.notice,
    degraded: degraded === null ? null : `${degraded}. Indexed for lexical search only; vectors are added on a later run once the model works.`,
  };
}

/** Beyond this many changed paths in a root (a big checkout), one walk is cheaper than deciding each. */
const PARTIAL_MAX_PATHS = 500;

/** The root's relative paths among `only`; null when the root is better walked in full (a rule file changed, or too many paths). */
function partialPaths(root: Root, only: ReadonlySet<string>): ReadonlySet<string> | null {
  const rels = new Set([...only].flatMap((absPath) => {
    const rel = relativeInside(root.path, absPath);
    return rel === null || rel === '' ? [] : [rel];
  }));
  return rels.size > PARTIAL_MAX_PATHS || [...rels].some(isRuleFile) ? null : rels;
}

/** Whether `relPath` is one of `paths` or lies under one of them (looked up by its ancestors: no scan of `paths`). */
function inScope(relPath: string, paths: ReadonlySet<string>): boolean {
  for (let p = relPath; ; p = p.slice(0, p.lastIndexOf('/'))) {
    if (paths.has(p)) return true;
    if (!p.includes('/')) return false;
  }
}

/** What a full walk would yield at and under each of `paths`, once per file. */
async function partialEntries(root: Root, paths: ReadonlySet<string>, known: ReadonlyMap<string, FileState>, request: IndexRequest, signal: AbortSignal | undefined): Promise<WalkEntry[]> {
  const out = new Map<string, WalkEntry>();
  for (const relPath of paths) {
    const state = known.get(relPath);
    const absPath = absoluteFile(root.path, relPath);
    if (request.overlays?.has(absPath) === true && state?.status === 'indexed') {
      // Typing in a file indexed before: the rules and content checks let it in; no re-classification per keystroke.
      out.set(relPath, { type: 'candidate', candidate: { root, relPath, absPath, size: state.size, mtimeMs: state.mtimeMs, forced: true } });
      continue;
    }
    for await (const entry of walkPath(root, relPath, request.walk, signal, request.roots)) out.set(entry.type === 'skipped' ? entry.skipped.relPath : entry.candidate.relPath, entry);
  }
  return [...out.values()];
}

/** Gives every chunk without a vector one (after a model change), from the cache or the model. */
async function backfillVectors(store: IndexStore, embedder: Embedder, signal: AbortSignal | undefined, onDone: (n: number) => void): Promise<number | { failed: string }> {
  let embedded = 0;
  let done = 0;
  for (;;) {
    const batch = store.chunksNeedingVectors(EMBED_BATCH * 4);
    if (batch.length === 0) return embedded;
    const result = await vectorsFor(store, embedder, batch.map((b) => ({ hash: b.hash, text: b.embedText })), signal);
    if ('failed' in result) return result;
    store.writeVectors(embedder.id, batch.flatMap((b, i) => {
      const vector = result.vectors[i];
      return vector === undefined ? [] : [{ id: b.id, hash: b.hash, vector }];
    }));
    embedded += result.embedded;
    done += batch.length;
    onDone(done);
  }
}
