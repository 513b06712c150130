import * as path from 'node:path';

/** The index names files by their root and a `/`-separated path relative to it; these convert. */

export function absoluteFile(rootPath: string, relPath: string): string {
  return path.join(rootPath, ...relPath.split('/'));
}

/** The root-relative path of a file inside the root, or null for the root itself and anything outside. */
export function relativeInside(rootPath: string, absPath: string): string | null {
  const rel = path.relative(rootPath, absPath);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join('/');
}
