import { prepareChunks } from '../../src/engine/indexing/prepareFile';
import type { FileWrite } from '../../src/engine/store/indexStore';
import { pathTerms } from '../../src/engine/text/ftsTerms';
import type { Chunk } from '../../src/engine/types';

/** A file's write as the indexer makes it (terms derived, texts packed in blocks), from chunks given here. */
export function indexedWrite(
  rootId: number,
  file: { readonly relPath: string; readonly hash: string; readonly size: number },
  chunks: readonly Chunk[],
  vectorOf: (index: number) => Float32Array | null = () => null,
): FileWrite {
  const prepared = prepareChunks(file.relPath, chunks);
  return {
    type: 'indexed',
    rootId,
    file: { ...file, mtimeMs: 0, language: null, redacted: null, pathTerms: pathTerms(file.relPath), textBlocks: prepared.textBlocks },
    chunks: prepared.chunks.map((c, i) => ({ ...c, vector: vectorOf(i) })),
  };
}
