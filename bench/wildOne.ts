/**
 * One tree of the wild corpus, indexed in a process of its own so the harness can watch it (kill it
 * when it hangs, see it crash) and read its peak RSS. Prints one JSON line on stdout.
 * Usage: node dist/bench/wildOne.js ROOT DB
 */
import * as path from 'node:path';
import { createEmbedder } from '../src/engine/embed/createEmbedder';
import { freshIndex } from './freshIndex';
import { peakRssMiB, round } from './stats';

async function main(): Promise<void> {
  const [root, db] = process.argv.slice(2);
  if (root === undefined || db === undefined) throw new Error('usage: wildOne ROOT DB');
  const { ws, seconds, summary } = await freshIndex(db, [{ name: path.basename(root), path: root }], createEmbedder(undefined));
  // Retrieval and answering run over what was indexed, as a user's first question would.
  const t0 = performance.now();
  const search = await ws.search('main entry point that parses options', { limit: 10 });
  const searchMs = performance.now() - t0;
  const status = ws.status();
  ws.close();
  process.stdout.write(
    `${JSON.stringify({
      seconds: round(seconds),
      filesSeen: summary.filesSeen,
      filesIndexed: status.filesIndexed,
      chunks: status.chunks,
      skipped: summary.skipped,
      redactedFiles: status.redacted.length,
      chunkFallbacks: summary.chunkFallbacks,
      degraded: summary.degraded,
      searchHits: search.hits.length,
      searchMs: round(searchMs),
      peakRssMiB: peakRssMiB(),
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
