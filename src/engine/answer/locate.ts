import * as path from 'node:path';
import { createError } from '../../shared/errors';
import type { Chunk } from '../types';
import type { Workspace } from '../workspace';
import type { NumberedSource } from './types';

export interface Located {
  readonly rootPath: string;
  readonly relPath: string;
  /** As sources show it: root-prefixed when the index has several roots. */
  readonly display: string;
}

/** Which indexed root an absolute file belongs to, and its paths there. */
export function locate(ws: Workspace, absPath: string): Located {
  const roots = ws.config.roots;
  const root = roots.find((r) => absPath === r.path || absPath.startsWith(`${r.path}${path.sep}`));
  if (root === undefined) throw createError('bad-arguments', `${absPath} is not inside an indexed folder.`);
  const relPath = path.relative(root.path, absPath).split(path.sep).join('/');
  return { rootPath: root.path, relPath, display: roots.length > 1 ? `${root.name}/${relPath}` : relPath };
}

/** A range of a file given to the model as source [n] because the user pointed at it (not retrieved). */
export function pointedSource(n: number, where: Located, chunk: Pick<Chunk, 'startLine' | 'endLine' | 'symbol' | 'text'>): NumberedSource {
  return { n, path: where.display, rootPath: where.rootPath, relPath: where.relPath, startLine: chunk.startLine, endLine: chunk.endLine, symbol: chunk.symbol, text: chunk.text, foundBy: [], score: 0 };
}
