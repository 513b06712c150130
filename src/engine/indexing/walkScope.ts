import { absoluteFile, relativeInside } from '../paths';
import type { FileState, IndexStore } from '../store/indexStore';
import type { Root } from '../types';
import { isRuleFile, walkPath, walkRoot, type WalkEntry, type WalkOptions } from '../walk/walk';

export interface ScopeRequest {
  readonly roots: readonly Root[];
  readonly walk: WalkOptions;
  readonly overlays?: ReadonlyMap<string, string>;
  /** Absolute paths that changed: decided without walking the rest (see IndexRequest.only). */
  readonly only?: ReadonlySet<string>;
  readonly signal?: AbortSignal;
  /** Whether to count a full walk's files ahead of it, for a progress total (costs a second walk). */
  readonly count: boolean;
}

export interface RootScope {
  readonly rootId: number;
  /** The index's files of this root (of a partial run: at and under its paths), by relative path. */
  readonly known: ReadonlyMap<string, FileState>;
  /** Null when walked in full, else the paths a partial run decided (files and folders). */
  readonly partial: ReadonlySet<string> | null;
}

export interface WalkedFile {
  readonly rootId: number;
  readonly entry: WalkEntry;
}

export interface ScopeWalk {
  readonly scopes: readonly RootScope[];
  /** The files to decide, in walk order, walked as they are pulled: a full walk is never held in memory. */
  readonly files: AsyncIterable<WalkedFile>;
  /** Files found so far by the count that runs ahead of `files`. */
  found(): number;
  /** How many files `files` yields, once the count is done (null before, and without a count). */
  total(): number | null;
  /** Stops the count (a run that ends early). */
  close(): void;
}

/**
 * The files a run decides, per root: every file of a full walk, or what a full walk would yield at
 * and under the changed paths of a partial run (few: listed up front). A full walk is streamed, and
 * walked a second time ahead of it that only counts (the first pass warms the stat calls of the
 * other), so progress has a real total without holding 100,000 walked files in memory.
 */
export async function walkScopes(store: IndexStore, request: ScopeRequest): Promise<ScopeWalk> {
  const roots: Array<{ readonly root: Root; readonly scope: RootScope; readonly listed: readonly WalkEntry[] | null }> = [];
  for (const root of request.roots) {
    const rootId = store.ensureRoot(root);
    const partial = request.only === undefined ? null : partialPaths(root, request.only);
    const known = partial === null ? store.fileStates(rootId) : store.fileStatesUnder(rootId, partial);
    const listed = partial === null ? null : await partialEntries(root, partial, known, request);
    roots.push({ root, scope: { rootId, known, partial }, listed });
  }
  const counting = new AbortController();
  const countSignal = request.signal === undefined ? counting.signal : AbortSignal.any([request.signal, counting.signal]);
  let found = roots.reduce((n, r) => n + (r.listed?.length ?? 0), 0);
  let total: number | null = roots.every((r) => r.listed !== null) ? found : null;
  const count = async (): Promise<void> => {
    for (const { root, listed } of roots) {
      if (listed !== null) continue;
      const walk = walkRoot(root, request.walk, countSignal, request.roots);
      for (let step = await walk.next(); step.done !== true; step = await walk.next()) found++;
    }
    total = found;
  };
  // A failed count (an abort) leaves the total unknown; the run itself reports its own errors.
  if (total === null && request.count) count().catch(() => undefined);
  return {
    scopes: roots.map((r) => r.scope),
    files: (async function* () {
      for (const { root, scope, listed } of roots) {
        for await (const entry of listed ?? walkRoot(root, request.walk, request.signal, request.roots)) yield { rootId: scope.rootId, entry };
      }
    })(),
    found: () => found,
    total: () => total,
    close: () => counting.abort(),
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
export function inScope(relPath: string, paths: ReadonlySet<string>): boolean {
  for (let p = relPath; ; p = p.slice(0, p.lastIndexOf('/'))) {
    if (paths.has(p)) return true;
    if (!p.includes('/')) return false;
  }
}

/** What a full walk would yield at and under each of `paths`, once per file. */
async function partialEntries(root: Root, paths: ReadonlySet<string>, known: ReadonlyMap<string, FileState>, request: ScopeRequest): Promise<WalkEntry[]> {
  const out = new Map<string, WalkEntry>();
  for (const relPath of paths) {
    const state = known.get(relPath);
    const absPath = absoluteFile(root.path, relPath);
    if (request.overlays?.has(absPath) === true && state?.status === 'indexed') {
      // Typing in a file indexed before: the rules and content checks let it in; no re-classification per keystroke.
      out.set(relPath, { type: 'candidate', candidate: { root, relPath, absPath, size: state.size, mtimeMs: state.mtimeMs, forced: true } });
      continue;
    }
    for await (const entry of walkPath(root, relPath, request.walk, request.signal, request.roots)) out.set(entry.type === 'skipped' ? entry.skipped.relPath : entry.candidate.relPath, entry);
  }
  return [...out.values()];
}

/**
 * Files the walk no longer yields are gone: the known files whose ids it did not see (a partial run
 * only knows about the paths it decided).
 */
export function goneFiles(scopes: readonly RootScope[], seenIds: ReadonlySet<number>): number[] {
  const gone: number[] = [];
  for (const { known, partial } of scopes) {
    for (const [relPath, state] of known) {
      if (partial !== null && !inScope(relPath, partial)) continue;
      if (!seenIds.has(state.id)) gone.push(state.id);
    }
  }
  return gone;
}
