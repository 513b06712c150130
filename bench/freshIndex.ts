import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { Embedder } from '../src/engine/embed/embedder';
import type { IndexSummary } from '../src/engine/indexer';
import { DEFAULT_WALK_OPTIONS } from '../src/engine/walk/walk';
import { Workspace } from '../src/engine/workspace';

/** Builds an index from scratch at `dbPath` (any old one removed) and times it. */
export async function freshIndex(dbPath: string, roots: ReadonlyArray<{ name: string; path: string }>, embedder: Embedder): Promise<{ ws: Workspace; seconds: number; summary: IndexSummary }> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  mkdirSync(path.dirname(dbPath), { recursive: true });
  const ws = Workspace.open({ roots, dbPath, walk: DEFAULT_WALK_OPTIONS, embedder });
  const t0 = performance.now();
  const summary = await ws.update();
  return { ws, seconds: (performance.now() - t0) / 1000, summary };
}
