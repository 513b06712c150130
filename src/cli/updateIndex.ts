import type { Workspace } from '../engine/workspace';
import { formatSummary } from './format';
import { progressPrinter } from './progress';

/**
 * Brings the index up to date for any command: a progress bar unless quiet, every notice (an index
 * moved aside, a model that failed) on stderr, and the one-line summary returned for the caller.
 */
export async function updateIndex(ws: Workspace, quiet: boolean): Promise<string> {
  const progress = progressPrinter(process.stderr);
  const summary = await ws.update(quiet ? undefined : progress.update);
  progress.end();
  for (const notice of ws.takeNotices()) process.stderr.write(`sourceline: ${notice}\n`);
  if (summary.degraded !== null) process.stderr.write(`sourceline: ${summary.degraded}\n`);
  return formatSummary(summary, ws.status().chunks);
}
