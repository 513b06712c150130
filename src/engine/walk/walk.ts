import { promises as fs, type Dirent } from 'node:fs';
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
}

export const DEFAULT_WALK_OPTIONS: WalkOptions = { maxFileBytes: 1024 * 1024, extraExcludes: [] };

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

async function rulesFor(absDir: string, isRoot: boolean, stack: IgnoreStack, dirRel: string): Promise<IgnoreStack> {
  const [gitignore, sourcelineignore, gitInfoExclude] = await Promise.all([
    readOptional(path.join(absDir, '.gitignore')),
    readOptional(path.join(absDir, '.sourcelineignore')),
    isRoot ? readOptional(path.join(absDir, '.git', 'info', 'exclude')) : Promise.resolve(undefined),
  ]);
  if (gitignore === undefined && sourcelineignore === undefined && gitInfoExclude === undefined) return stack;
  return stack.withRuleFiles(dirRel, {
    ...(gitignore === undefined ? {} : { gitignore }),
    ...(sourcelineignore === undefined ? {} : { sourcelineignore }),
    ...(gitInfoExclude === undefined ? {} : { gitInfoExclude }),
  });
}

/**
 * Walks one root, yielding every file it will consider and every file it rejected, with the reason.
 * Files excluded by ignore rules are not yielded at all (there may be millions, e.g. node_modules);
 * `explainPath` answers for those on demand.
 */
export async function* walkRoot(root: Root, options: WalkOptions, signal?: AbortSignal): AsyncGenerator<WalkEntry> {
  const rootReal = await fs.realpath(root.path);
  const base = IgnoreStack.root(options.extraExcludes);
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
  const stack = await rulesFor(absDir, isRoot, parentStack, dirRel);
  let entries: Dirent[];
  try {
    entries = await fs.readdir(absDir, { withFileTypes: true });
  } catch (error) {
    if (dirRel !== '') {
      yield skip(root, dirRel, NO_STAT, 'unreadable', `folder could not be listed (${errorCode(error) ?? "error"})`);
    }
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const relPath = dirRel === '' ? entry.name : `${dirRel}/${entry.name}`;
    const absPath = path.join(absDir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    let stat: import('node:fs').Stats | undefined;
    if (entry.isSymbolicLink()) {
      try {
        stat = await fs.stat(absPath);
      } catch {
        yield skip(root, relPath, NO_STAT, 'unreadable', 'broken symbolic link');
        continue;
      }
      isDir = stat.isDirectory();
      isFile = stat.isFile();
    }
    const verdict = stack.verdict(relPath, isDir);
    if (isDir) {
      if (verdict.state === 'excluded' && !stack.shouldDescendExcluded(relPath)) continue;
      const real = await fs.realpath(absPath).catch(() => absPath);
      if (ancestors.has(real)) {
        yield skip(root, relPath, NO_STAT, 'symlink-loop', `links back to ${path.relative(root.path, real) || '.'}`);
        continue;
      }
      yield* walkDir(root, options, absPath, relPath, stack, new Set([...ancestors, real]), false, signal);
      continue;
    }
    if (verdict.state === 'excluded') continue;
    if (!isFile) {
      yield skip(root, relPath, NO_STAT, 'special-file', 'socket, FIFO or device');
      continue;
    }
    try {
      stat ??= await fs.stat(absPath);
    } catch (error) {
      yield skip(root, relPath, NO_STAT, 'unreadable', `could not stat (${errorCode(error) ?? "error"})`);
      continue;
    }
    const fileStat: FileStat = { size: stat.size, mtimeMs: Math.trunc(stat.mtimeMs) };
    if (!verdict.forced && isSecretName(entry.name)) {
      yield skip(root, relPath, fileStat, 'secret', 'file name suggests credentials');
    } else if (isBinaryName(entry.name)) {
      yield skip(root, relPath, fileStat, 'binary', 'binary file type');
    } else if (stat.size > options.maxFileBytes) {
      yield skip(root, relPath, fileStat, 'too-large', `${stat.size} bytes > cap of ${options.maxFileBytes}`);
    } else {
      yield { type: 'candidate', candidate: { root, relPath, absPath, ...fileStat, forced: verdict.forced } };
    }
  }
}

function skip(root: Root, relPath: string, stat: FileStat, reason: SkippedFile['reason'], detail: string): WalkEntry {
  return { type: 'skipped', skipped: { root, relPath, ...stat, reason, detail } };
}

/** Why a path is or is not indexed by the ignore rules: walks the rule files from the root down to it. */
export async function explainPath(root: Root, relPath: string, options: WalkOptions): Promise<string> {
  const segments = relPath.split('/').filter((s) => s !== '');
  let stack = IgnoreStack.root(options.extraExcludes);
  let dirRel = '';
  for (let i = 0; i < segments.length; i++) {
    stack = await rulesFor(path.join(root.path, dirRel), i === 0, stack, dirRel);
    const segment = segments[i] ?? '';
    const isLast = i === segments.length - 1;
    dirRel = dirRel === '' ? segment : `${dirRel}/${segment}`;
    const verdict = stack.verdict(dirRel, !isLast);
    if (verdict.state === 'excluded' && (isLast || !stack.shouldDescendExcluded(dirRel))) {
      const r = verdict.rule;
      return `${relPath}: excluded by ${r.file}${r.line > 0 ? `:${r.line}` : ''} (${r.pattern})`;
    }
    if (isLast && verdict.state === 'included' && verdict.rule !== null) {
      return `${relPath}: re-included by ${verdict.rule.file}:${verdict.rule.line} (${verdict.rule.pattern})`;
    }
  }
  return `${relPath}: not excluded by any ignore rule`;
}
