/**
 * One cold index of the scale corpus as its own process, so its peak RSS is its own:
 * `node dist/bench/scaleIndex.js ROOT DB builtin|none`. Prints the summary and peak RSS as JSON.
 */
import * as path from 'node:path';
import { createEmbedder } from '../src/engine/embed/createEmbedder';
import { freshIndex } from './freshIndex';
import { NoModel } from './noModel';
import { peakRssMiB } from './stats';
import { limitHeapGrowth } from '../src/shared/mallocTuning';

async function main(): Promise<void> {
  // As the language server it stands in for.
  limitHeapGrowth();
  const [root, db, model] = process.argv.slice(2);
  if (root === undefined || db === undefined || (model !== 'builtin' && model !== 'none')) throw new Error('usage: scaleIndex ROOT DB builtin|none');
  const { ws, seconds, summary } = await freshIndex(db, [{ name: path.basename(root), path: root }], model === 'none' ? new NoModel() : createEmbedder(undefined));
  const status = ws.status();
  ws.close();
  process.stdout.write(`${JSON.stringify({ seconds, summary, chunks: status.chunks, peakRssMiB: peakRssMiB() })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`scaleIndex failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
