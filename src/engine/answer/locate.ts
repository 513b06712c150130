import { createError } from '../../shared/errors';
import { relativeInside } from '../paths';
import { displayPath } from '../store/indexStore';
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
  for (const root of roots) {
    const relPath = relativeInside(root.path, absPath);
    if (relPath !== null) return { rootPath: root.path, relPath, display: displayPath(roots.length > 1, root.name, relPath) };
  }
  throw createError('bad-arguments', `${absPath} is not inside an indexed folder.`);
}

/** A range of a file given to the model as source [n] because the user pointed at it (not retrieved). */
export function pointedSource(n: number, where: Located, chunk: Pick<Chunk, 'startLine' | 'endLine' | 'symbol' | 'text'>): NumberedSource {
  return { n, path: where.display, rootPath: where.rootPath, relPath: where.relPath, startLine: chunk.startLine, endLine: chunk.endLine, symbol: chunk.symbol, text: chunk.text, foundBy: [], score: 0 };
}
