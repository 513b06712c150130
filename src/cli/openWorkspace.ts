import * as path from 'node:path';
import { createEmbedder } from '../engine/embed/createEmbedder';
import { Workspace } from '../engine/workspace';
import type { Root } from '../engine/types';
import { DEFAULT_WALK_OPTIONS } from '../engine/walk/walk';
import type { CliArgs } from './args';
import { defaultDbPath } from './indexLocation';

export function rootsOf(args: CliArgs): Root[] {
  return args.roots.map((p) => ({ name: path.basename(p) || p, path: p }));
}

export function dbPathOf(args: CliArgs): string {
  return args.db ?? defaultDbPath(args.roots);
}

/** The index a command line names (roots, database, model, size limit); `quickCheck` verifies the file first. */
export function openWorkspace(args: CliArgs, quickCheck: boolean): Workspace {
  return Workspace.open(
    {
      roots: rootsOf(args),
      dbPath: dbPathOf(args),
      walk: { ...DEFAULT_WALK_OPTIONS, maxFileBytes: args.maxFileBytes },
      embedder: createEmbedder(args.embeddingModel),
    },
    { quickCheck },
  );
}
