import { promises as fs, type Dirent, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { FileStat, Root, SkippedFile } from '../types';
import { IgnoreStack } from './ignoreRules';
import { isBinaryName, isSecretName } from './fileKinds';
import { errorCode } from '../../shared/errors';

export interface WalkOptions {
  /** Files above this size are recorded as `too-large` without being read. */
  readonly maxFileBytes: number;
  /** Extra gitignore-style patterns from settings (`sourceline.index.exclude`). */
  readonly extraExcludes: readonly string[];
  /** Patterns to index even when ignored (`sourceline.index.include`): like `!pattern` in a root `.sourcelineignore`. */
  readonly extraIncludes?: readonly string[];
}

export const DEFAULT_WALK_OPTIONS: WalkOptions = { maxFileBytes: 1024 * 1024, extraExcludes: [], extraIncludes: [] };

/** A file that passed the name- and stat-level checks; its content is read only if it changed. */
export interface Candidate extends FileStat {
  readonly root: Root;
  readonly relPath: string;
  readonly absPath: string;
  /** Explicitly re-included by a `.sourcelineignore`: content heuristics are not applied. */
  readonly forced: boolean;
}

export type WalkEntry =
  | { readonly type: 'candidate'; readonly candidate: Candidate }
  | { readonly type: 'skipped'; readonly skipped: SkippedFile };

const NO_STAT: FileStat = { size: 0, mtimeMs: 0 };

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

const RULE_FILES = ['.gitignore', '.sourcelineignore'] as const;

/** Reads the rule files present in a folder (known from its listing, so no failed reads). */
async function rulesFor(absDir: string, present: ReadonlySet<string>, isRoot: boolean, stack: IgnoreStack, dirRel: string): Promise<IgnoreStack> {
  const wanted = RULE_FILES.filter((f) => present.has(f));
  if (wanted.length === 0 && !(isRoot && present.has('.git'))) return stack;
  const [gitignore, sourcelineignore, gitInfoExclude] = await Promise.all([
    present.has('.gitignore') ? readOptional(path.join(absDir, '.gitignore')) : Promise.resolve(undefined),
    present.has('.sourcelineignore') ? readOptional(path.join(absDir, '.sourcelineignore')) : Promise.resolve(undefined),
    isRoot && present.has('.git') ? readOptional(path.join(absDir, '.git', 'info', 'exclude')) : Promise.resolve(undefined),
  ]);
  if (gitignore === undefined && sourcelineignore === undefined && gitInfoExclude === undefined) return stack;
  return stack.withRuleFiles(dirRel, {
    ...(gitignore === undefined ? {} : { gitignore }),
    ...(sourcelineignore === undefined ? {} : { sourcelineignore }),
    ...(gitInfoExclude === undefined ? {} : { gitInfoExclude }),
  });
}

async function listNames(absDir: string): Promise<Set<string>> {
  try {
    return new Set(await fs.readdir(absDir));
  } catch {
    return new Set();
  }
}

/**
 * Walks one root, yielding every file it will consider and every file it rejected, with the reason.
 * Files excluded by ignore rules are not yielded at all (there may be millions, e.g. node_modules);
 * `explainPath` answers for those on demand.
 */
export async function* walkRoot(root: Root, options: WalkOptions, signal?: AbortSignal): AsyncGenerator<WalkEntry> {
  const rootReal = await fs.realpath(root.path);
  const base = IgnoreStack.root(options.extraExcludes, options.extraIncludes ?? []);
  yield* walkDir(root, options, root.path, '', base, new Set([rootReal]), true, signal);
}

async function* walkDir(
  root: Root,
  options: WalkOptions,
  absDir: string,
  dirRel: string,
  parentStack: IgnoreStack,
  ancestors: ReadonlySet<string>,
  isRoot: boolean,
  signal: AbortSignal | undefined,
): AsyncGenerator<WalkEntry> {
  signal?.throwIfAborted();
  let entries: Dirent[];
  try {
    entries = await fs.readdir(absDir, { withFileTypes: true });
  } catch (error) {
    if (dirRel !== '') {
      yield skip(root, dirRel, NO_STAT, 'unreadable', `folder could not be listed (${errorCode(error) ?? 'error'})`);
    }
    return;
  }
  const stack = await rulesFor(absDir, new Set(entries.map((e) => e.name)), isRoot, parentStack, dirRel);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Decide every entry of the folder concurrently (stat calls overlap in the thread pool), then yield in order.
  const decided = await Promise.all(entries.map((entry) => decide(root, options, absDir, dirRel, entry, stack)));
  for (const d of decided) {
    if (d === null) continue;
    if (d.type !== 'dir') {
      yield d.entry;
      continue;
    }
    if (ancestors.has(d.real)) {
      yield skip(root, d.relPath, NO_STAT, 'symlink-loop', `links back to ${path.relative(root.path, d.real) || '.'}`);
      continue;
    }
    yield* walkDir(root, options, d.absPath, d.relPath, stack, new Set([...ancestors, d.real]), false, signal);
  }
}

type Decision = { readonly type: 'dir'; readonly relPath: string; readonly absPath: string; readonly real: string } | { readonly type: 'entry'; readonly entry: WalkEntry } | null;

/** What `decide` needs of a folder entry: a Dirent from a listing, or the same facts from lstat. */
type EntryKind = Pick<Dirent, 'name' | 'isDirectory' | 'isFile' | 'isSymbolicLink'>;

async function decide(root: Root, options: WalkOptions, absDir: string, dirRel: string, entry: EntryKind, stack: IgnoreStack): Promise<Decision> {
  const relPath = dirRel === '' ? entry.name : `${dirRel}/${entry.name}`;
  const absPath = path.join(absDir, entry.name);
  let isDir = entry.isDirectory();
  let isFile = entry.isFile();
  let stat: Stats | undefined;
  if (entry.isSymbolicLink()) {
    try {
      stat = await fs.stat(absPath);
    } catch {
      return { type: 'entry', entry: skip(root, relPath, NO_STAT, 'unreadable', 'broken symbolic link') };
    }
    isDir = stat.isDirectory();
    isFile = stat.isFile();
  }
  const verdict = stack.verdict(relPath, isDir);
  if (isDir) {
    if (verdict.state === 'excluded' && !stack.shouldDescendExcluded(relPath)) return null;
    const real = entry.isSymbolicLink() ? await fs.realpath(absPath).catch(() => absPath) : absPath;
    return { type: 'dir', relPath, absPath, real };
  }
  if (verdict.state === 'excluded') return null;
  if (!isFile) return { type: 'entry', entry: skip(root, relPath, NO_STAT, 'special-file', 'socket, FIFO or device') };
  try {
    stat ??= await fs.stat(absPath);
  } catch (error) {
    return { type: 'entry', entry: skip(root, relPath, NO_STAT, 'unreadable', `could not stat (${errorCode(error) ?? 'error'})`) };
  }
  const fileStat: FileStat = { size: stat.size, mtimeMs: Math.trunc(stat.mtimeMs) };
  if (!verdict.forced && isSecretName(entry.name)) return { type: 'entry', entry: skip(root, relPath, fileStat, 'secret', 'file name suggests credentials') };
  if (isBinaryName(entry.name)) return { type: 'entry', entry: skip(root, relPath, fileStat, 'binary', 'binary file type') };
  if (stat.size > options.maxFileBytes) {
    return { type: 'entry', entry: skip(root, relPath, fileStat, 'too-large', `${stat.size} bytes > cap of ${options.maxFileBytes}`) };
  }
  return { type: 'entry', entry: { type: 'candidate', candidate: { root, relPath, absPath, ...fileStat, forced: verdict.forced } } };
}

function skip(root: Root, relPath: string, stat: FileStat, reason: SkippedFile['reason'], detail: string): WalkEntry {
  return { type: 'skipped', skipped: { root, relPath, ...stat, reason, detail } };
}

/** The rule files that decide a path: every folder's from the root down to the path's own folder. */
async function* rulesAlong(root: Root, segments: readonly string[], options: WalkOptions): AsyncGenerator<{ relPath: string; isLast: boolean; stack: IgnoreStack }> {
  let stack = IgnoreStack.root(options.extraExcludes, options.extraIncludes ?? []);
  let dirRel = '';
  for (let i = 0; i < segments.length; i++) {
    const absDir = path.join(root.path, dirRel);
    stack = await rulesFor(absDir, await listNames(absDir), i === 0, stack, dirRel);
    const segment = segments[i] ?? '';
    dirRel = dirRel === '' ? segment : `${dirRel}/${segment}`;
    yield { relPath: dirRel, isLast: i === segments.length - 1, stack };
  }
}

/** Why a path is or is not indexed by the ignore rules: walks the rule files from the root down to it. */
export async function explainPath(root: Root, relPath: string, options: WalkOptions): Promise<string> {
  for await (const { relPath: at, isLast, stack } of rulesAlong(root, relPath.split('/').filter((s) => s !== ''), options)) {
    const verdict = stack.verdict(at, !isLast);
    if (verdict.state === 'excluded' && (isLast || !stack.shouldDescendExcluded(at))) {
      const r = verdict.rule;
      return `${relPath}: excluded by ${r.file}${r.line > 0 ? `:${r.line}` : ''} (${r.pattern})`;
    }
    if (isLast && verdict.state === 'included' && verdict.rule !== null) {
      return `${relPath}: re-included by ${verdict.rule.file}:${verdict.rule.line} (${verdict.rule.pattern})`;
    }
  }
  return `${relPath}: not excluded by any ignore rule`;
}

/** Whether a change to this path can change the ignore rules (then only a full walk is right). */
export function isRuleFile(relPath: string): boolean {
  const base = path.posix.basename(relPath);
  return (RULE_FILES as readonly string[]).includes(base) || relPath === '.git/info/exclude';
}

/**
 * What a walk of the whole root would yield at and under one path (a file or a folder that changed),
 * without walking anything else: the same rules and checks, decided from the root down to it. An
 * empty result means the path is gone or excluded.
 */
export async function* walkPath(root: Root, relPath: string, options: WalkOptions, signal?: AbortSignal): AsyncGenerator<WalkEntry> {
  const segments = relPath.split('/').filter((s) => s !== '' && s !== '.');
  const name = segments.at(-1);
  if (name === undefined || segments.includes('..')) return;
  // The folders above must let the walk descend; the path itself is decided by its folder's rules.
  let stack: IgnoreStack | null = null;
  for await (const step of rulesAlong(root, segments, options)) {
    if (step.isLast) {
      stack = step.stack;
      break;
    }
    const verdict = step.stack.verdict(step.relPath, true);
    if (verdict.state === 'excluded' && !step.stack.shouldDescendExcluded(step.relPath)) return;
  }
  if (stack === null) return;
  const dirRel = segments.slice(0, -1).join('/');
  const absDir = path.join(root.path, dirRel);
  let stat: Stats;
  try {
    stat = await fs.lstat(path.join(absDir, name));
  } catch {
    return;
  }
  const entry: EntryKind = { name, isDirectory: () => stat.isDirectory(), isFile: () => stat.isFile(), isSymbolicLink: () => stat.isSymbolicLink() };
  const d = await decide(root, options, absDir, dirRel, entry, stack);
  if (d === null) return;
  if (d.type === 'entry') {
    yield d.entry;
    return;
  }
  // A folder: walked as the full walk would, with the real paths of the folders above it as ancestors.
  const ancestors = new Set<string>();
  for (let i = 0; i < segments.length; i++) ancestors.add(await fs.realpath(path.join(root.path, ...segments.slice(0, i))).catch(() => ''));
  if (ancestors.has(d.real)) {
    yield skip(root, d.relPath, NO_STAT, 'symlink-loop', `links back to ${path.relative(root.path, d.real) || '.'}`);
    return;
  }
  yield* walkDir(root, options, d.absPath, d.relPath, stack, new Set([...ancestors, d.real]), false, signal);
}
