import { DEFAULT_CHUNK_BUDGET_MS } from './chunk/chunkFile';
import { DEFAULT_LIMITS, type ChunkLimits } from './chunk/segments';
import type { Embedder } from './embed/embedder';
import { BatchWriter, EMBED_BATCH, vectorsFor, type EmbedTexts } from './indexing/batchWriter';
import { decideFile } from './indexing/decide';
import { HeldFiles, type Decided } from './indexing/heldFiles';
import type { PrepareOutcome } from './indexing/prepareFile';
import { defaultThreads, startPreparer, type Preparer } from './indexing/preparePool';
import { goneFiles, walkScopes, type WalkedFile } from './indexing/walkScope';
import type { FileState, IndexStore } from './store/indexStore';
import { clearVectorsPending, vectorsPending } from './store/vectors';
import type { Root, SkipReason, SkippedFile } from './types';
import type { WalkOptions } from './walk/walk';

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
  /** Worker threads that prepared files (0: all on the indexer's thread, as for a small update). */
  readonly threads: number;
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
  /** Worker threads that prepare and embed files (default: one per core, at most 4; 0: all on this thread). */
  readonly threads?: number;
}

/** Cached vectors no chunk uses are kept this long, so switching back to a branch is cheap. */
const CACHE_MAX_AGE_MS = 14 * 24 * 3600 * 1000;
/**
 * Source bytes of the files being prepared at once, beside the pool's job count: a run of 1 MB files
 * (generated register headers) would otherwise hold ~100 prepared files, each several times its
 * size in chunks and terms, waiting for their turn to be written.
 */
const MAX_BYTES_IN_FLIGHT = 16 * 2 ** 20;

/** The run's tallies, for the summary. */
class RunCounts {
  filesDone = 0;
  filesIndexed = 0;
  filesUnchanged = 0;
  chunkFallbacks = 0;
  readonly skipped: Partial<Record<SkipReason, number>> = {};

  skip(reason: SkipReason): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }
}

/**
 * Brings the index up to date with the roots: reads only files whose size or mtime changed (then
 * compares content hashes), re-embeds only chunk texts the model has not seen, removes deleted files.
 * Walk → decide (stat and index only) → prepare (read, redact, chunk; in a worker pool on a large
 * run) → batch writer (cache, embed, one transaction per batch) → sweep of files gone.
 */
export async function indexRoots(store: IndexStore, request: IndexRequest): Promise<IndexSummary> {
  const started = performance.now();
  const { embedder, signal } = request;
  const limits = request.limits ?? DEFAULT_LIMITS;
  store.useModel({ id: embedder.id, dims: embedder.dims });
  const walk = await walkScopes(store, {
    roots: request.roots, walk: request.walk,
    ...(request.overlays === undefined ? {} : { overlays: request.overlays }),
    ...(request.only === undefined ? {} : { only: request.only }),
    ...(signal === undefined ? {} : { signal }),
    count: request.onProgress !== undefined,
  });
  const known = new Map(walk.scopes.map((s) => [s.rootId, s.known]));
  const decide = (w: WalkedFile): Decided => {
    const relPath = w.entry.type === 'skipped' ? w.entry.skipped.relPath : w.entry.candidate.relPath;
    const overlay = w.entry.type === 'candidate' ? request.overlays?.get(w.entry.candidate.absPath) : undefined;
    const state = known.get(w.rootId)?.get(relPath);
    return { walkedFile: w, relPath, state, decision: decideFile(w.entry, state, overlay) };
  };
  const notes: string[] = [];
  let preparer: Preparer | null = null;
  let threads = 0;
  const restoreCaches: Array<() => void> = [];
  const startPreparing = (files: number): Preparer => {
    const started = startPreparer({
      files,
      threads: request.threads ?? defaultThreads(),
      log: (message) => notes.push(message),
      embedding: () => embedder.threadEmbedding?.() ?? null,
    });
    threads = started.threads;
    // A bulk run's commits touch pages all over the file: a small page cache keeps its memory flat.
    if (started.threads > 0) restoreCaches.push(store.boundPageCache());
    return started;
  };
  const embed: EmbedTexts = (texts) => embedder.embed(texts, 'document', signal);
  const writer = new BatchWriter(store, embedder, embed);
  const counts = new RunCounts();
  const progress = (relPath: string): void => {
    counts.filesDone++;
    if (request.onProgress === undefined) return;
    const total = walk.total();
    if (total === null) request.onProgress({ phase: 'walking', filesTotal: 0, filesDone: walk.found(), currentPath: relPath });
    else request.onProgress({ phase: 'indexing', filesTotal: Math.max(total, counts.filesDone), filesDone: counts.filesDone, currentPath: relPath });
  };
  const recordSkip = (rootId: number, file: SkippedFile, hash: string | null, state: FileState | undefined): void => {
    counts.skip(file.reason);
    const same = state?.status === 'skipped' && state.reason === file.reason && state.size === file.size && state.mtimeMs === file.mtimeMs;
    if (!same) writer.add({ type: 'skipped', rootId, file, hash });
  };
  const settle = (w: WalkedFile, relPath: string, state: FileState | undefined, overlay: string | undefined, outcome: PrepareOutcome): void => {
    if (outcome.type === 'skipped') recordSkip(w.rootId, outcome.file, outcome.hash, state);
    else if (outcome.type === 'same') {
      counts.filesUnchanged++;
      // Same bytes, new mtime (a checkout, a touch): no re-chunking. An editor's text shows what is
      // indexed; its stat is not recorded, as the disk may still differ.
      if (overlay === undefined && state !== undefined && w.entry.type === 'candidate') writer.add({ type: 'touched', fileId: state.id, size: w.entry.candidate.size, mtimeMs: w.entry.candidate.mtimeMs });
    } else {
      if (outcome.fallback) counts.chunkFallbacks++;
      writer.addIndexed({ rootId: w.rootId, file: outcome.file, chunks: outcome.chunks });
      counts.filesIndexed++;
    }
    progress(relPath);
  };

  // Files are prepared in parallel but settled (and so written, and given chunk ids) in walk order:
  // the index does not depend on which worker finished first.
  const queue: Array<{ readonly job: Promise<PrepareOutcome> | null; readonly bytes: number; readonly settle: (outcome: PrepareOutcome | null) => void }> = [];
  let bytesInFlight = 0;
  const settleHead = async (): Promise<void> => {
    const step = queue.shift();
    if (step === undefined) return;
    bytesInFlight -= step.bytes;
    step.settle(step.job === null ? null : await step.job);
  };
  const enqueue = async ({ walkedFile, relPath, state, decision }: Decided, using: Preparer | null): Promise<void> => {
    if (decision.type === 'read') {
      if (using === null) throw new Error('a file to read before the preparer started');
      const job = using.prepare({ candidate: decision.candidate, indexedHash: decision.indexedHash, overlay: decision.overlay, maxFileBytes: request.walk.maxFileBytes, limits, budgetMs: request.chunkBudgetMs ?? DEFAULT_CHUNK_BUDGET_MS });
      // Awaited in turn below; a failure before its turn must not count as unhandled.
      job.catch(() => undefined);
      bytesInFlight += decision.candidate.size;
      queue.push({
        job,
        bytes: decision.candidate.size,
        settle: (outcome) => {
          if (outcome !== null) settle(walkedFile, relPath, state, decision.overlay, outcome);
        },
      });
    } else {
      queue.push({
        job: null,
        bytes: 0,
        settle: () => {
          if (decision.type === 'skip') recordSkip(walkedFile.rootId, decision.file, null, state);
          else if (decision.type === 'unchanged') counts.filesUnchanged++;
          else counts.skip(decision.reason);
          progress(relPath);
        },
      });
    }
    const capacity = using?.capacity ?? 1;
    while (queue.length > capacity || (bytesInFlight > MAX_BYTES_IN_FLIGHT && queue.length > 1) || queue[0]?.job === null) await settleHead();
    if (writer.full) await writer.flush();
  };
  // Whether a pool is worth starting is known from the files to read, found as the walk goes: the
  // files from the first one to read are held (in walk order) until enough are found or the walk ends.
  const held = new HeldFiles();
  const seenIds = new Set<number>();
  let filesSeen = 0;
  let filesDeleted = 0;
  try {
    for await (const walked of walk.files) {
      signal?.throwIfAborted();
      const decided = decide(walked);
      filesSeen++;
      if (decided.state !== undefined) seenIds.add(decided.state.id);
      if (preparer !== null) await enqueue(decided, preparer);
      else if (!held.hold(decided)) await enqueue(decided, null);
      else if (held.decisive) {
        // Held files are a prefix of the walk: the reads to come are judged by their share in it.
        preparer = startPreparing(held.reads * Math.max(1, (walk.total() ?? walk.found()) / filesSeen));
        for (const d of held.take()) await enqueue(d, preparer);
      }
    }
    preparer ??= startPreparing(held.reads);
    for (const d of held.take()) await enqueue(d, preparer);
    while (queue.length > 0) {
      await settleHead();
      if (writer.full) await writer.flush();
    }
    for (const fileId of goneFiles(walk.scopes, seenIds)) {
      writer.add({ type: 'deleted', fileId });
      filesDeleted++;
    }
    await writer.finish();
    if (writer.degraded === null && vectorsPending(store.db)) {
      const backfill = await backfillVectors(store, embedder, embed, signal, (done) =>
        request.onProgress?.({ phase: 'embedding', filesTotal: filesSeen, filesDone: done, currentPath: '' }),
      );
      if (typeof backfill === 'number') {
        writer.chunksEmbedded += backfill;
        clearVectorsPending(store.db);
      } else {
        writer.degraded = backfill.failed;
      }
    }
  } finally {
    walk.close();
    await preparer?.close();
    await Promise.allSettled(queue.map((step) => step.job));
    await writer.settle();
    for (const restore of restoreCaches) restore();
  }
  if (counts.filesIndexed + filesDeleted > 0) {
    store.pruneCache(CACHE_MAX_AGE_MS);
    store.restoreExactTable({ id: embedder.id, dims: embedder.dims });
  }
  request.onProgress?.({ phase: 'done', filesTotal: filesSeen, filesDone: filesSeen, currentPath: '' });
  const notice = [store.notice, ...notes].filter((n) => n !== null).join(' ');
  return {
    filesSeen, filesIndexed: counts.filesIndexed, filesUnchanged: counts.filesUnchanged, filesDeleted, skipped: counts.skipped,
    chunksWritten: writer.chunksWritten, chunksEmbedded: writer.chunksEmbedded, chunkFallbacks: counts.chunkFallbacks,
    seconds: (performance.now() - started) / 1000,
    threads,
    notice: notice === '' ? null : notice,
    degraded: writer.degraded === null ? null : `${writer.degraded}. Indexed for lexical search only; vectors are added on a later run once the model works.`,
  };
}

/** Gives every chunk without a vector one (after a model change), from the cache or the model. */
async function backfillVectors(store: IndexStore, embedder: Embedder, embed: EmbedTexts, signal: AbortSignal | undefined, onDone: (n: number) => void): Promise<number | { failed: string }> {
  let embedded = 0;
  let done = 0;
  let afterId = 0;
  for (;;) {
    signal?.throwIfAborted();
    const batch = store.chunksNeedingVectors(EMBED_BATCH * 8, afterId);
    if (batch.length === 0) return embedded;
    afterId = batch[batch.length - 1]?.id ?? afterId;
    const result = await vectorsFor(store, embedder, embed, batch.map((b) => ({ hash: b.hash, text: b.embedText })));
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
