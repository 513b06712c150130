import type { FileState } from '../store/indexStore';
import type { SkippedFile, SkipReason } from '../types';
import type { Candidate, WalkEntry } from '../walk/walk';
import { isSkipReason } from '../walk/skipReasons';

/**
 * What a run does with one walked file, decided from its stat and the index alone (no read):
 * - `skip`: the walker rejected it (ignored name, too large, …);
 * - `unchanged`: indexed with the same size and mtime;
 * - `keptSkip`: skipped before for what its bytes are (minified, …) and not changed since;
 * - `read`: read it, then compare the bytes with `indexedHash` (a touch) or chunk it.
 */
export type FileDecision =
  | { readonly type: 'skip'; readonly file: SkippedFile }
  | { readonly type: 'unchanged' }
  | { readonly type: 'keptSkip'; readonly reason: SkipReason }
  | { readonly type: 'read'; readonly candidate: Candidate; readonly indexedHash: string | null; readonly overlay: string | undefined };

/**
 * Skip reasons that follow from the bytes alone, so unchanged bytes keep them. Not `too-large` (the
 * cap may have been raised), `unreadable` (a chmod keeps the mtime) or `secret` (re-includable).
 */
const CONTENT_VERDICTS: ReadonlySet<SkipReason> = new Set(['binary', 'minified', 'generated', 'undecodable']);

function isContentVerdict(reason: string | null): reason is SkipReason {
  return reason !== null && isSkipReason(reason) && CONTENT_VERDICTS.has(reason);
}

export function decideFile(entry: WalkEntry, state: FileState | undefined, overlay: string | undefined): FileDecision {
  if (entry.type === 'skipped') return { type: 'skip', file: entry.skipped };
  const c = entry.candidate;
  const sameStat = overlay === undefined && state !== undefined && state.size === c.size && state.mtimeMs === c.mtimeMs;
  if (sameStat && state.status === 'indexed') return { type: 'unchanged' };
  // Same bytes, same verdict: a minified or generated file is not re-read on every run.
  if (sameStat && state.status === 'skipped' && isContentVerdict(state.reason) && !c.forced) return { type: 'keptSkip', reason: state.reason };
  return { type: 'read', candidate: c, indexedHash: state?.status === 'indexed' ? state.hash : null, overlay };
}
