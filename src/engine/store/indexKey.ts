import { createHash } from 'node:crypto';
import * as path from 'node:path';

/** A folder name for the index of a set of roots: the first root's name for humans, a hash for uniqueness. */
export function indexFolderName(rootPaths: readonly string[]): string {
  const sorted = [...rootPaths].sort();
  const key = createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 12);
  const label = path.basename(sorted[0] ?? 'root').replace(/[^\w.-]/g, '_') || 'root';
  return `${label}-${key}`;
}
