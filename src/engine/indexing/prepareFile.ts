import { chunkWithin } from '../chunk/chunkFile';
import type { ChunkLimits } from '../chunk/segments';
import { describeRedactions, redactSecrets, type Redacted } from '../redact/redact';
import type { ChunkWrite, IndexedFileMeta } from '../store/indexStore';
import { embedTextOf } from '../store/indexStore';
import { packChunks, type TextSlot } from '../store/chunkText';
import { chunkHash } from '../store/cacheKeys';
import { chunkTerms, pathTerms } from '../text/ftsTerms';
import type { Chunk, SkippedFile } from '../types';
import { readSource } from '../walk/readSource';
import type { Candidate } from '../walk/walk';
import { describe } from '../../shared/errors';

/**
 * One file's share of indexing that needs no database: read, decode, classify, redact, chunk and
 * derive the search terms. Plain data in and out, so it runs the same in a pool worker or inline.
 */
export interface PrepareJob {
  readonly candidate: Candidate;
  /** The content hash of the version in the index, when the file is indexed: equal bytes need no chunking. */
  readonly indexedHash: string | null;
  /** An editor's text (saved or not), indexed instead of the file on disk. */
  readonly overlay: string | undefined;
  readonly maxFileBytes: number;
  readonly limits: ChunkLimits;
  readonly budgetMs: number;
}

/**
 * A chunk ready to store: everything but its vector, unless the worker that prepared it embedded it
 * too. No embedding text of its own: that is the chunk's context and text (embedTextOf), derived
 * again where a chunk is embedded; carried along, it was a third copy of every chunk's text in the
 * messages from the pool and in the writer's batches.
 */
export type PreparedChunk = Omit<ChunkWrite, 'vector'> & { readonly vector?: Float32Array };

export type PrepareOutcome =
  | { readonly type: 'skipped'; readonly file: SkippedFile; readonly hash: string | null }
  /** The bytes are the indexed version's. */
  | { readonly type: 'same' }
  | { readonly type: 'chunks'; readonly file: IndexedFileMeta; readonly chunks: readonly PreparedChunk[]; readonly fallback: boolean };

/**
 * The mtime recorded for a file indexed from an editor's unsaved text. No file on disk has it, so
 * once the editor closes, the next run compares the disk's bytes again (and re-chunks if they differ).
 */
const OVERLAY_MTIME = -1;

/**
 * Secrets are replaced before anything is chunked, stored, embedded or sent to a model; a file that
 * could not be scanned is not indexed at all (its secrets would go through unredacted).
 */
export async function prepareFile(job: PrepareJob): Promise<PrepareOutcome> {
  const { candidate: c } = job;
  const read = await readSource(c, job.maxFileBytes, job.overlay);
  if (read.type === 'skipped') return read;
  if (read.file.hash === job.indexedHash) return { type: 'same' };
  const file = job.overlay === undefined ? read.file : { ...read.file, mtimeMs: OVERLAY_MTIME };
  const skip = (reason: SkippedFile['reason'], detail: string): PrepareOutcome => ({
    type: 'skipped', file: { root: c.root, relPath: c.relPath, size: file.size, mtimeMs: file.mtimeMs, reason, detail }, hash: file.hash,
  });
  let clean: Redacted;
  try {
    clean = await redactSecrets(file.text, file.relPath);
  } catch (error) {
    return skip('secret', `could not be scanned for secrets (${describe(error)})`);
  }
  const chunked = await chunkWithin({ ...file, text: clean.text }, job.limits, job.budgetMs);
  if (chunked.type === 'timeout') return skip('timeout', chunked.detail);
  const prepared = prepareChunks(file.relPath, chunked.chunks);
  return {
    type: 'chunks',
    file: {
      relPath: file.relPath, size: file.size, mtimeMs: file.mtimeMs, hash: file.hash, language: file.language,
      redacted: clean.redactions.length === 0 ? null : describeRedactions(clean.redactions), pathTerms: pathTerms(file.relPath), textBlocks: prepared.textBlocks,
    },
    chunks: prepared.chunks,
    fallback: chunked.fallback !== null,
  };
}

/** A file's chunks ready to store, and the blocks their texts are packed in (store/chunkText.ts). */
export function prepareChunks(relPath: string, chunks: readonly Chunk[]): { readonly textBlocks: ReadonlyArray<string | Uint8Array>; readonly chunks: PreparedChunk[] } {
  const packed = packChunks(relPath, chunks);
  return {
    textBlocks: packed.blocks,
    chunks: chunks.map((chunk, i) => {
      const slot = packed.slots[i];
      // packChunks gives every chunk its slot; inventing one would store another chunk's text under it.
      if (slot === undefined) throw new Error(`${relPath}: no text block for chunk ${i + 1} of ${chunks.length}`);
      return prepareChunk(relPath, chunk, slot);
    }),
  };
}

/** The embedding text's hash (the embedding cache's key) and the lexical index's terms of one chunk. */
function prepareChunk(relPath: string, chunk: Chunk, textSlot: TextSlot): PreparedChunk {
  return { chunk, textSlot, hash: chunkHash(embedTextOf(chunk)), ...chunkTerms(relPath, chunk) };
}
