import { cpSync, existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { ensureNpmCorpus, type PinnedPackage } from '../tools/npmCorpus';

/** Real sources from npm packages, pinned. None of them is reserved for the retrieval eval. */
export const CORPUS_PACKAGES: readonly PinnedPackage[] = [
  { name: 'three', version: '0.170.0', folders: ['src', 'examples/jsm'] },
  { name: 'rxjs', version: '7.8.2', folders: ['src'] },
  { name: 'lodash', version: '4.17.21', folders: ['.'] },
  { name: '@types/node', version: '20.19.43', folders: ['.'] },
  { name: 'typescript', version: '5.9.3', folders: ['lib'] },
];

export function ensureCorpus(dir: string): string {
  return ensureNpmCorpus(dir, CORPUS_PACKAGES);
}

/** `count` copies of the corpus, each a separate root: a real index of about count× the chunks. */
export function ensureCopies(dir: string, src: string, count: number): string[] {
  const out: string[] = [];
  for (let i = 1; i <= count; i++) {
    const copy = path.join(dir, 'copies', `c${i}`);
    if (!existsSync(copy) || readdirSync(copy).length === 0) cpSync(src, copy, { recursive: true });
    out.push(copy);
  }
  return out;
}
