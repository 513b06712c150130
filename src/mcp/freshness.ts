import type { ToolIndexState } from '../engine/tools/agentTools';
import type { LiveState } from '../engine/liveIndex';

/** What a tool result says about the live index. */
export function freshness(live: LiveState): ToolIndexState {
  if (live.phase === 'failed') return { phase: live.phase, note: `The index could not be built (${live.error ?? 'unknown error'}); results may be missing.` };
  if (live.phase === 'indexing') {
    const progress = live.progress === null ? '' : ` (${live.progress.done} of ${live.progress.total} files checked)`;
    return { phase: live.phase, note: `The index is still being built${progress}: results cover what is indexed so far.` };
  }
  return { phase: live.phase, note: live.pendingFiles > 0 ? `${live.pendingFiles} changed files are being re-indexed.` : 'The index is up to date.' };
}
