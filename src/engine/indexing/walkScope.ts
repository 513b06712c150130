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
  /** Called every few hundred files of a full walk. */
  readonly onWalked?: (files: number) => void;
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

/**
 * The files a run decides, per root: every file of a full walk (stat only, cheap, so progress has a
 * real total), or what a full walk would yield at and under the changed paths of a partial run.
 */
export async function walkScopes(store: IndexStore, request: ScopeRequest): Promise<{ scopes: RootScope[]; walked: WalkedFile[] }> {
  const walked: WalkedFile[] = [];
  const scopes: RootScope[] = [];
  for (const root of request.roots) {
    const rootId = store.ensureRoot(root);
    const partial = request.only === undefined ? null : partialPaths(root, request.only);
    const known = partial === null ? store.fileStates(rootId) : store.fileStatesUnder(rootId, partial);
    scopes.push({ rootId, known, partial });
    if (partial !== null) {
      for (const entry of await partialEntries(root, partial, known, request)) walked.push({ rootId, entry });
      continue;
    }
    for await (const entry of walkRoot(root, request.walk, request.signal, request.roots)) {
      walked.push({ rootId, entry });
      if (walked.length % 500 === 0) request.onWalked?.(walked.length);
    }
  }
  return { scopes, walked };
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

/** Files the walk no longer yields are gone; a partial run only knows about the paths it decided. */
export function goneFiles(scopes: readonly RootScope[], seen: ReadonlySet<string>): number[] {
  const gone: number[] = [];
  for (const { rootId, known, partial } of scopes) {
    for (const [relPath, state] of known) {
      if (partial !== null && !inScope(relPath, partial)) continue;
      if (!seen.has(seenKey(rootId, relPath))) gone.push(state.id);
    }
  }
  return gone;
}

export function seenKey(rootId: number, relPath: string): string {
  return `${rootId}\0${relPath}`;
}
