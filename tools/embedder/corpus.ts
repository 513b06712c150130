/**
 * Where the training corpus comes from, as folders on disk: pinned npm packages, the Python, Go,
 * Rust and Java standard libraries Debian ships, pinned Debian source packages
 * (tools/embedder/debian.txt) and pinned public repositories with history
 * (tools/embedder/repos.json). Each root says whether it is held out from training.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkout, devRepos, mirrorOf, pinnedRepos, type DevRepo } from '../../bench/devsets/repos';
import { QUALITY_PACKAGES } from '../../bench/qualityCorpus';
import { isReserved, reservedNames } from '../../bench/reserved';
import { ensureNpmCorpus, packageFolder } from '../npmCorpus';
import { DEBIAN_SOURCES, HELD_OUT, JAVA_SOURCES, PYTHON_PACKAGES, PYTHON_STDLIB, TRAIN_PACKAGES } from './packages';

export const ROOT = path.resolve(__dirname, '..', '..');
export const WORK = process.env['SOURCELINE_EMBEDDER_WORK'] ?? path.join(ROOT, '.cache', 'embedder');
const DEBIAN_LIST = path.join(ROOT, 'tools', 'embedder', 'debian.txt');
const REPOS_LIST = path.join(ROOT, 'tools', 'embedder', 'repos.json');

export interface TrainingRoot {
  readonly pkg: string;
  readonly dir: string;
  /** Held out whole: its pairs measure the model on a package it never saw. */
  readonly heldOut: boolean;
  /** The pinned repository whose history gives commit pairs, when it has one. */
  readonly repo: DevRepo | null;
}

function log(message: string): void {
  process.stderr.write(`[corpus] ${message}\n`);
}

/** Debian source package names of tools/embedder/debian.txt (`NAME=VERSION  # language`). */
export function debianPackages(): string[] {
  return readFileSync(DEBIAN_LIST, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.slice(0, l.indexOf('=')));
}

/** Extracts the pinned Java folders from the JDK's src.zip into the cache (once); none without the package. */
function javaSources(): TrainingRoot[] {
  const jvm = '/usr/lib/jvm';
  const jdk = existsSync(jvm) ? readdirSync(jvm).sort().find((d) => d.startsWith(JAVA_SOURCES.jvmPrefix)) : undefined;
  const zip = jdk === undefined ? '' : path.join(jvm, jdk, 'lib', 'src.zip');
  if (!existsSync(zip)) {
    log(`no ${JAVA_SOURCES.debian}: Java sources left out`);
    return [];
  }
  const out = path.join(WORK, 'java');
  if (!existsSync(out)) execFileSync('unzip', ['-q', '-o', zip, ...JAVA_SOURCES.folders.map((f) => `${f}/*`), '-d', out]);
  return JAVA_SOURCES.folders.map((f) => ({ pkg: JAVA_SOURCES.name, dir: path.join(out, f), heldOut: false, repo: null })).filter((r) => existsSync(r.dir));
}

function debianRoots(): TrainingRoot[] {
  const dir = path.join(WORK, 'debian');
  const roots: TrainingRoot[] = [];
  for (const name of debianPackages()) {
    const tree = path.join(dir, name);
    if (existsSync(tree)) roots.push({ pkg: name, dir: tree, heldOut: HELD_OUT.has(name), repo: null });
    else log(`${name}: not downloaded (scripts/debian-sources.sh ${path.relative(ROOT, DEBIAN_LIST)} ${path.relative(ROOT, dir)})`);
  }
  return roots;
}

function repoRoots(): TrainingRoot[] {
  const roots: TrainingRoot[] = [];
  for (const repo of pinnedRepos(REPOS_LIST)) {
    try {
      mirrorOf(repo);
    } catch (error) {
      log(error instanceof Error ? error.message : String(error));
      continue;
    }
    roots.push({ pkg: repo.name, dir: checkout(repo, path.join(WORK, 'repos')), heldOut: HELD_OUT.has(repo.name), repo });
  }
  return roots;
}

/** Refuses a corpus that overlaps the reserved repositories or the dev and quality benchmarks. */
export function assertNotReserved(roots: readonly TrainingRoot[]): void {
  const forbidden = new Set([...reservedNames(), ...QUALITY_PACKAGES.map((p) => p.name.toLowerCase()), ...devRepos().flatMap((r) => [r.name.toLowerCase(), r.github.toLowerCase()])]);
  const clash = roots.filter((r) => isReserved(r.pkg, forbidden) || (r.repo !== null && isReserved(r.repo.github, forbidden)));
  if (clash.length > 0) throw new Error(`training sources overlap reserved, dev or quality corpora: ${[...new Set(clash.map((r) => r.pkg))].join(', ')}`);
}

export function trainingRoots(): TrainingRoot[] {
  const npmSrc = ensureNpmCorpus(path.join(WORK, 'corpus'), TRAIN_PACKAGES);
  const roots: TrainingRoot[] = [
    ...TRAIN_PACKAGES.map((p) => ({ pkg: p.name, dir: path.join(npmSrc, packageFolder(p.name)), heldOut: HELD_OUT.has(p.name), repo: null })),
    { pkg: 'python-stdlib', dir: PYTHON_STDLIB, heldOut: false, repo: null },
    ...PYTHON_PACKAGES.filter((p) => existsSync(p.dir)).map((p) => ({ pkg: p.name, dir: p.dir, heldOut: HELD_OUT.has(p.name), repo: null })),
    ...DEBIAN_SOURCES.flatMap((d) => d.folders.map((f) => ({ pkg: d.name, dir: path.join(d.dir, f), heldOut: false, repo: null })).filter((r) => existsSync(r.dir))),
    ...javaSources(),
    ...debianRoots(),
    ...repoRoots(),
  ];
  assertNotReserved(roots);
  return roots;
}
