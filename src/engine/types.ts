/**
 * The pipeline's stage types, named in one place (design.md §1).
 * walk → SourceFile → chunk → Chunk → embed → vectors → store → retrieve → Hit.
 */

/** A folder the user asked us to index. `name` prefixes paths when several roots share an index. */
export interface Root {
  readonly name: string;
  readonly path: string;
}

/** Why a file that exists was not indexed. Every value has a user-facing explanation in skipReasons.ts. */
export type SkipReason =
  | 'binary'
  | 'too-large'
  | 'minified'
  | 'generated'
  | 'secret'
  | 'unreadable'
  | 'symlink-loop'
  | 'special-file'
  | 'undecodable'
  | 'outside-root'
  | 'duplicate'
  | 'timeout';

export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
}

/** A file the walker accepted, with its decoded text. */
export interface SourceFile extends FileStat {
  readonly root: Root;
  /** Path relative to the root, `/`-separated. */
  readonly relPath: string;
  readonly absPath: string;
  readonly text: string;
  /** sha256 of the raw bytes, hex. */
  readonly hash: string;
  readonly language: LanguageId | null;
}

/** A file the walker saw and rejected. */
export interface SkippedFile extends FileStat {
  readonly root: Root;
  readonly relPath: string;
  readonly reason: SkipReason;
  readonly detail: string;
}

export type LanguageId =
  | 'typescript'
  | 'tsx'
  | 'javascript'
  | 'python'
  | 'go'
  | 'rust'
  | 'java'
  | 'csharp'
  | 'c'
  | 'cpp'
  | 'markdown';

export const CHUNK_KINDS = ['function', 'method', 'class', 'type', 'module', 'section', 'block', 'window'] as const;
export type ChunkKind = (typeof CHUNK_KINDS)[number];

/** A span of one file; lines are 1-based and inclusive. */
export interface Chunk {
  readonly startLine: number;
  readonly endLine: number;
  readonly kind: ChunkKind;
  /** The unit's name (`refresh`, `SessionStore.refresh`), or '' for windows and blocks. */
  readonly symbol: string;
  /** Lines of context that are embedded and searched but not shown: path, enclosing scopes, signature. */
  readonly context: string;
  /** The chunk's own source lines, exactly as in the file. */
  readonly text: string;
}

export type Retriever = 'lexical' | 'vector';

export interface Hit {
  readonly chunkId: number;
  readonly rootName: string;
  readonly relPath: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly symbol: string;
  readonly kind: ChunkKind;
  readonly text: string;
  readonly score: number;
  readonly sources: readonly Retriever[];
}
