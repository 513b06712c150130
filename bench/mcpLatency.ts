import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BENCH_QUERIES } from './queries';
import { percentile, round } from './stats';

const CLI = path.resolve(__dirname, '..', 'launch.js');

function phaseOf(result: unknown): unknown {
  if (typeof result !== 'object' || result === null || !('structuredContent' in result)) return undefined;
  const s = result.structuredContent;
  return typeof s === 'object' && s !== null && 'index' in s && typeof s.index === 'object' && s.index !== null && 'phase' in s.index ? s.index.phase : undefined;
}

/**
 * search_code through `sourceline mcp` as an agent calls it: a separate server process over the real
 * stdio transport, on an index that is already built (the server's start-up update finds nothing to do).
 */
export async function mcpSearchLatency(roots: readonly string[], dbPath: string, rounds = 3): Promise<{ p50: number; p95: number; n: number; readyAfterMs: number }> {
  const client = new Client({ name: 'sourceline-bench', version: '1.0.0' });
  const started = performance.now();
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', ...roots.flatMap((r) => ['--root', r]), '--db', dbPath], stderr: 'ignore' }));
  try {
    while (phaseOf(await client.callTool({ name: 'index_status', arguments: {} })) !== 'ready') await new Promise((resolve) => setTimeout(resolve, 100));
    const readyAfterMs = performance.now() - started;
    for (const q of BENCH_QUERIES.slice(0, 3)) await client.callTool({ name: 'search_code', arguments: { query: q } });
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const q of BENCH_QUERIES) {
        const t0 = performance.now();
        await client.callTool({ name: 'search_code', arguments: { query: q, limit: 10 } });
        times.push(performance.now() - t0);
      }
    }
    return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), n: times.length, readyAfterMs: round(readyAfterMs) };
  } finally {
    await client.close();
  }
}
