import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createError } from '../shared/errors';

/** A gitignore pattern matching exactly this root-relative path: anchored, glob characters escaped. */
export function exactPattern(relPath: string): string {
  return `/${relPath.replace(/[\\*?[\]]/g, (c) => `\\${c}`).replace(/ $/, '\\ ')}`;
}

/**
 * Re-includes a skipped or ignored file: adds `!/<path>` to the root's `.sourcelineignore` (a file
 * the user can read, edit and commit), which beats `.gitignore` and the content heuristics.
 */
export async function reinclude(rootPath: string, relPath: string): Promise<string> {
  if (relPath === '' || relPath.startsWith('/') || relPath.split('/').includes('..')) throw createError('bad-arguments', `${relPath} is not a path inside the folder.`);
  const file = path.join(rootPath, '.sourcelineignore');
  const line = `!${exactPattern(relPath)}`;
  let current = '';
  try {
    current = await fs.readFile(file, 'utf8');
  } catch {
    // no .sourcelineignore yet: it is created
  }
  if (current.split(/\r?\n/).includes(line)) return `${relPath} is already re-included by ${file}.`;
  const prefix = current === '' ? '# Files Sourceline indexes although they are ignored or look generated.\n' : current.endsWith('\n') ? '' : '\n';
  await fs.appendFile(file, `${prefix}${line}\n`);
  return `Added "${line}" to ${file}: ${relPath} is indexed from now on.`;
}
