import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** A package from the npm registry, pinned, and the folders of it that hold its real sources. */
export interface PinnedPackage {
  readonly name: string;
  readonly version: string;
  readonly folders: readonly string[];
  /** Paths (relative to the package) left out of the copy: bundles that repeat the sources. */
  readonly exclude?: readonly string[];
}

/** Folder name of a package's copy (`@types/node` → `@types__node`). */
export function packageFolder(name: string): string {
  return name.replace('/', '__');
}

/**
 * Installs pinned packages with npm (the registry is reachable here) and copies their source folders
 * out of node_modules (which the walker excludes) into `<dir>/src/<package>`. Cached by the list.
 */
export function ensureNpmCorpus(dir: string, packages: readonly PinnedPackage[]): string {
  const src = path.join(dir, 'src');
  const stampFile = path.join(dir, 'stamp.json');
  const stamp = JSON.stringify(packages);
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return src;
  rmSync(dir, { recursive: true, force: true });
  const pkgs = path.join(dir, 'pkgs');
  mkdirSync(pkgs, { recursive: true });
  writeFileSync(path.join(pkgs, 'package.json'), '{"name":"sourceline-corpus","private":true}\n');
  execFileSync('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', ...packages.map((p) => `${p.name}@${p.version}`)], { cwd: pkgs, stdio: 'inherit' });
  for (const p of packages) {
    for (const folder of p.folders) {
      const from = path.join(pkgs, 'node_modules', p.name, folder);
      const to = path.join(src, packageFolder(p.name), folder);
      // Nested node_modules inside a package are dependencies, not its sources.
      cpSync(from, to, { recursive: true, filter: (f) => !path.relative(from, f).split(path.sep).includes('node_modules') });
    }
    for (const ex of p.exclude ?? []) rmSync(path.join(src, packageFolder(p.name), ex), { recursive: true, force: true });
  }
  writeFileSync(stampFile, stamp);
  return src;
}
