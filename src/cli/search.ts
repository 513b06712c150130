import type { Workspace } from '../engine/workspace';
import type { CliArgs } from './args';
import { formatHits, toJsonResult } from './format';
import type { CliOutput } from './output';

/**
 * `sourceline search`, wherever it runs (its own process or the resident one): `freshen` brings the
 * index up to date first unless `--no-update`, and returns the line that says what it did.
 */
export async function runSearch(ws: Workspace, args: CliArgs, output: CliOutput, freshen: () => Promise<string>): Promise<void> {
  const query = args.positional.join(' ');
  if (args.update) {
    const summary = await freshen();
    if (!args.json) output.err(`${summary}\n`);
  }
  const outcome = await ws.search(query, { limit: args.limit });
  if (outcome.degraded !== null) output.err(`sourceline: ${outcome.degraded}; showing lexical results only.\n`);
  if (args.json) output.out(`${JSON.stringify({ query, results: outcome.hits.map((h) => toJsonResult(h, query)) }, null, 2)}\n`);
  else output.out(`${formatHits(outcome.hits, query)}\n`);
}
