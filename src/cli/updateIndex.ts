import type { Workspace } from '../engine/workspace';
import { formatSummary } from './format';
import { PROCESS_OUTPUT, type CliOutput } from './output';
import { progressPrinter } from './progress';

/**
 * Brings the index up to date for any command: a progress bar unless quiet (on this process's
 * terminal only), every notice (an index moved aside, a model that failed) on `output`'s stderr,
 * and the one-line summary returned for the caller.
 */
export async function updateIndex(ws: Workspace, quiet: boolean, output: CliOutput = PROCESS_OUTPUT): Promise<string> {
  const progress = quiet ? null : progressPrinter(process.stderr);
  const summary = await ws.update(progress?.update);
  progress?.end();
  for (const notice of ws.takeNotices()) output.err(`sourceline: ${notice}\n`);
  if (summary.degraded !== null) output.err(`sourceline: ${summary.degraded}\n`);
  return formatSummary(summary, ws.status().chunks);
}
