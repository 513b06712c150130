import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Real sources from npm packages, pinned. None of them is reserved for the retrieval eval. */
export const CORPUS_PACKAGES: ReadonlyArray<{ name: string; version: string; folders: readonly string[] }> = [
  { name: 'three', version: '0.170.0', folders: ['src', 'examples/jsm'] },
  { name: 'rxjs', version: '7.8.2', folders: ['src'] },
  { name: 'lodash', version: '4.17.21', folders: ['.'] },
  { name: '@types/node', version: '20.19.43', folders: ['.'] },
  { name: 'typescript', version: '5.9.3', folders: ['lib'] },
];

const STAMP = JSON.stringify(CORPUS_PACKAGES);

/**
 * Installs the pinned packages with npm (the registry is reachable here) and copies their source
 * folders out of node_modules (which the walker excludes) into `<dir>/src/<package>`.
 */
export function ensureCorpus(dir: string): string {
  const src = path.join(dir, 'src');
  const stampFile = path.join(dir, 'stamp.json');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === STAMP) return src;
  rmSync(dir, { recursive: true, force: true });
  const pkgs = path.join(dir, 'pkgs');
  mkdirSync(pkgs, { recursive: true });
  writeFileSync(path.join(pkgs, 'package.json'), '{"name":"sourceline-bench-corpus","private":true}\n');
  execFileSync('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', ...CORPUS_PACKAGES.map((p) => `${p.name}@${p.version}`)], { cwd: pkgs, stdio: 'inherit' });
  for (const p of CORPUS_PACKAGES) {
    for (const folder of p.folders) {
      const from = path.join(pkgs, 'node_modules', p.name, folder);
      const to = path.join(src, p.name.replace('/', '__'), folder);
      // Nested node_modules inside a package are dependencies, not its sources.
      cpSync(from, to, { recursive: true, filter: (f) => !path.relative(from, f).split(path.sep).includes('node_modules') });
    }
  }
  writeFileSync(stampFile, STAMP);
  return src;
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
