import { lstatSync, promises as fs, type Dirent, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { FileStat, Root, SkippedFile } from '../types';
import { IgnoreStack } from './ignoreRules';
import { isBinaryName, isSecretPath } from './fileKinds';
import { errorCode } from '../../shared/errors';
import { absoluteFile, relativeInside } from '../paths';

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

/** The real paths of the roots: a symbolic link is followed only to decide where it points. */
async function realRoots(roots: readonly Root[]): Promise<string[]> {
  return Promise.all(roots.map((r) => fs.realpath(r.path).catch(() => path.resolve(r.path))));
}

/** A folder the walk has still to list. */
interface Folder {
  readonly absDir: string;
  readonly dirRel: string;
  readonly stack: IgnoreStack;
  readonly isRoot: boolean;
  /** Its listing, asked for ahead of the walk reaching it (listFolder), or undefined to ask then. */
  readonly listing?: Promise<Listing>;
}

type Listing = { readonly ok: true; readonly dirents: Array<Dirent<Buffer>> } | { readonly ok: false; readonly error: unknown };

function readListing(absDir: string): Promise<Listing> {
  return fs.readdir(absDir, { withFileTypes: true, encoding: 'buffer' }).then(
    (dirents): Listing => ({ ok: true, dirents }),
    (error: unknown): Listing => ({ ok: false, error }),
  );
}

/**
 * Subfolders of a folder whose listings are asked for as soon as the folder is listed: the walk
 * waited for one listing at a time through the thread pool (2.1 of 8 s idle in a no-change update
 * of 123k files); a bound keeps a folder of thousands of subfolders from holding all their listings.
 */
const LISTINGS_AHEAD = 32;

/**
 * Walks one root, yielding every file it will consider and every file it rejected, with the reason.
 * Files excluded by ignore rules are not yielded at all (there may be millions, e.g. node_modules);
 * `explainPath` answers for those on demand. `roots` are all the roots of the index: a symbolic
 * link is never followed, but one that points into another root is reported as a duplicate rather
 * than as outside.
 */
export async function* walkRoot(root: Root, options: WalkOptions, signal?: AbortSignal, roots: readonly Root[] = [root]): AsyncGenerator<WalkEntry> {
  const start: Folder = { absDir: root.path, dirRel: '', stack: IgnoreStack.root(options.extraExcludes, options.extraIncludes ?? []), isRoot: true };
  yield* walkFolders(root, options, start, await placesOf(root, roots), signal);
}

/**
 * Depth-first, in name order, with an explicit stack: folders nested thousands deep cost one frame
 * each in an array, not a nested generator each (which made every yield pass through all of them).
 */
async function* walkFolders(root: Root, options: WalkOptions, start: Folder, places: Places, signal: AbortSignal | undefined): AsyncGenerator<WalkEntry> {
  const frames: Step[][] = [await listFolder(root, options, start, places)];
  for (let frame = frames.at(-1); frame !== undefined; frame = frames.at(-1)) {
    signal?.throwIfAborted();
    const d = frame.pop();
    if (d === undefined) frames.pop();
    else if (d.type === 'entry') yield d.entry;
    else frames.push(await listFolder(root, options, d.folder, places));
  }
}

const utf8Name = new TextDecoder('utf-8', { fatal: true });

/** A folder's entries decided, in reverse name order (the walk pops them). */
async function listFolder(root: Root, options: WalkOptions, folder: Folder, places: Places): Promise<Step[]> {
  const listing = await (folder.listing ?? readListing(folder.absDir));
  if (!listing.ok) {
    if (folder.dirRel === '') return [];
    return [{ type: 'entry', entry: skip(root, folder.dirRel, NO_STAT, 'unreadable', `folder could not be listed (${errorCode(listing.error) ?? 'error'})`) }];
  }
  const listed = listing.dirents;
  const entries: EntryKind[] = [];
  const badNames: Step[] = [];
  for (const dirent of listed) {
    const name = decodeName(dirent.name);
    if (name === null) {
      const shown = dirent.name.toString('utf8');
      badNames.push({ type: 'entry', entry: skip(root, joinRel(folder.dirRel, shown), NO_STAT, 'unreadable', 'its name is not valid UTF-8 (rename it to index it)') });
    } else {
      entries.push({ name, isDirectory: () => dirent.isDirectory(), isFile: () => dirent.isFile(), isSymbolicLink: () => dirent.isSymbolicLink() });
    }
  }
  const stack = await rulesFor(folder.absDir, new Set(entries.map((e) => e.name)), folder.isRoot, folder.stack, folder.dirRel);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Decide every entry of the folder concurrently (stat calls overlap in the thread pool).
  const decided = await Promise.all(entries.map((entry) => decide(root, options, folder.absDir, folder.dirRel, entry, stack, places)));
  let ahead = 0;
  const steps = decided.map((d): Decision => {
    if (d === null || d.type !== 'dir' || ahead >= LISTINGS_AHEAD) return d;
    ahead++;
    return { type: 'dir', folder: { ...d.folder, listing: readListing(d.folder.absDir) } };
  });
  return [...steps.filter((d): d is Step => d !== null), ...badNames].reverse();
}

function decodeName(raw: Buffer): string | null {
  try {
    return utf8Name.decode(raw);
  } catch {
    return null;
  }
}

function joinRel(dirRel: string, name: string): string {
  return dirRel === '' ? name : `${dirRel}/${name}`;
}

/** One entry of a folder listing: a folder to walk or an entry to yield; null when rules exclude it. */
type Step = { readonly type: 'dir'; readonly folder: Folder } | { readonly type: 'entry'; readonly entry: WalkEntry };
type Decision = Step | null;

/** What `decide` needs of a folder entry: a Dirent from a listing, or the same facts from lstat. */
type EntryKind = Pick<Dirent, 'name' | 'isDirectory' | 'isFile' | 'isSymbolicLink'>;

/** Where a symbolic link leads, decided once: it is never followed into the walk. */
type LinkTarget =
  | { readonly type: 'target'; readonly real: string; readonly stat: Stats }
  | { readonly type: 'bad'; readonly reason: SkippedFile['reason']; readonly detail: string };

async function resolveLink(absPath: string): Promise<LinkTarget> {
  try {
    const real = await fs.realpath(absPath);
    return { type: 'target', real, stat: await fs.stat(real) };
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ELOOP') return { type: 'bad', reason: 'symlink-loop', detail: 'symbolic links that lead to each other in a loop' };
    if (code === 'ENOENT' || code === 'ENOTDIR') return { type: 'bad', reason: 'unreadable', detail: 'broken symbolic link (its target does not exist)' };
    return { type: 'bad', reason: 'unreadable', detail: `symbolic link could not be resolved (${code ?? 'error'})` };
  }
}

/** The real paths a walk needs to place a link's target: its own root's and every root's. */
interface Places {
  readonly rootReal: string;
  readonly reals: readonly string[];
}

async function placesOf(root: Root, roots: readonly Root[]): Promise<Places> {
  const [rootReal, ...reals] = await realRoots([root, ...roots]);
  return { rootReal: rootReal ?? root.path, reals };
}

/**
 * Why a link's target is not walked: it is a folder above the link (a loop), another indexed path
 * holds it (indexed there), or it is outside every root.
 */
function linkSkip(root: Root, relPath: string, real: string, places: Places): WalkEntry {
  const here = path.join(places.rootReal, ...relPath.split('/'));
  if (relativeInside(real, here) !== null) return skip(root, relPath, NO_STAT, 'symlink-loop', `links back to ${real === places.rootReal ? '.' : (relativeInside(places.rootReal, real) ?? real)}, a folder above it`);
  const inside = places.reals.find((r) => real === r || relativeInside(r, real) !== null);
  if (inside === undefined) return skip(root, relPath, NO_STAT, 'outside-root', `links to ${real}, outside the indexed folders`);
  const target = relativeInside(inside, real) ?? '.';
  return skip(root, relPath, NO_STAT, 'duplicate', `links to ${target}, which is indexed under its own path`);
}

async function decide(root: Root, options: WalkOptions, absDir: string, dirRel: string, entry: EntryKind, stack: IgnoreStack, places: Places): Promise<Decision> {
  const relPath = joinRel(dirRel, entry.name);
  const absPath = path.join(absDir, entry.name);
  if (entry.isSymbolicLink()) {
    const link = await resolveLink(absPath);
    const isDir = link.type === 'target' && link.stat.isDirectory();
    if (stack.verdict(relPath, isDir).state === 'excluded' && !(isDir && stack.shouldDescendExcluded(relPath))) return null;
    if (link.type === 'bad') return { type: 'entry', entry: skip(root, relPath, NO_STAT, link.reason, link.detail) };
    return { type: 'entry', entry: linkSkip(root, relPath, link.real, places) };
  }
  const isDir = entry.isDirectory();
  const verdict = stack.verdict(relPath, isDir);
  if (isDir) {
    if (verdict.state === 'excluded' && !stack.shouldDescendExcluded(relPath)) return null;
    return { type: 'dir', folder: { absDir: absPath, dirRel: relPath, stack, isRoot: false } };
  }
  if (verdict.state === 'excluded') return null;
  if (!entry.isFile()) return { type: 'entry', entry: skip(root, relPath, NO_STAT, 'special-file', 'socket, FIFO or device') };
  let stat: Stats;
  try {
    // Synchronous: the file's inode is hot from the listing, so the call takes microseconds, where a
    // promise through the thread pool spent most of a 123k-file walk in scheduling (9.3 s → 5.7 s).
    stat = lstatSync(absPath);
  } catch (error) {
    return { type: 'entry', entry: skip(root, relPath, NO_STAT, 'unreadable', `could not stat (${errorCode(error) ?? 'error'})`) };
  }
  const fileStat: FileStat = { size: stat.size, mtimeMs: Math.trunc(stat.mtimeMs) };
  if (!stat.isFile()) return { type: 'entry', entry: skip(root, relPath, fileStat, 'special-file', 'not a regular file') };
  if (!verdict.forced && isSecretPath(relPath)) return { type: 'entry', entry: skip(root, relPath, fileStat, 'secret', 'file name suggests credentials') };
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

/**
 * Why a path is or is not indexed by the ignore rules and the walk's link rules: walks the rule files
 * from the root down to it. `target` is root-relative or absolute.
 */
export async function explainPath(root: Root, target: string, options: WalkOptions, roots: readonly Root[] = [root]): Promise<string> {
  const relPath = path.isAbsolute(target) ? relativeInside(root.path, target) : normalizeRel(target);
  if (relPath === null) return `${target}: outside the indexed folders (${roots.map((r) => r.path).join(', ')}); add its folder as a root to index it`;
  for await (const { relPath: at, isLast, stack } of rulesAlong(root, relPath.split('/'), options)) {
    const verdict = stack.verdict(at, !isLast);
    if (verdict.state === 'excluded' && (isLast || !stack.shouldDescendExcluded(at))) {
      const r = verdict.rule;
      return `${relPath}: excluded by ${r.file}${r.line > 0 ? `:${r.line}` : ''} (${r.pattern})`;
    }
    const stat = await fs.lstat(absoluteFile(root.path, at)).catch(() => null);
    if (stat?.isSymbolicLink() === true) {
      const link = await resolveLink(absoluteFile(root.path, at));
      const entry = link.type === 'bad' ? skip(root, at, NO_STAT, link.reason, link.detail) : linkSkip(root, at, link.real, await placesOf(root, roots));
      if (entry.type === 'skipped') return `${relPath}: not indexed — ${at} is a symbolic link: ${entry.skipped.detail}`;
    }
    if (isLast && verdict.state === 'included' && verdict.rule !== null) {
      return `${relPath}: re-included by ${verdict.rule.file}:${verdict.rule.line} (${verdict.rule.pattern})`;
    }
  }
  return `${relPath}: not excluded by any ignore rule`;
}

/** A root-relative path with `.` segments dropped; null when it climbs out of the root. */
function normalizeRel(relPath: string): string | null {
  const segments = relPath.split(/[\\/]/).filter((s) => s !== '' && s !== '.');
  return segments.length === 0 || segments.includes('..') ? null : segments.join('/');
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
export async function* walkPath(root: Root, relPath: string, options: WalkOptions, signal?: AbortSignal, roots: readonly Root[] = [root]): AsyncGenerator<WalkEntry> {
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
  // A folder above that is a link is not walked by a full walk either (its own entry says why).
  for (let i = 1; i < segments.length; i++) {
    const above = await fs.lstat(path.join(root.path, ...segments.slice(0, i))).catch(() => null);
    if (above === null || above.isSymbolicLink()) return;
  }
  let stat: Stats;
  try {
    stat = await fs.lstat(path.join(absDir, name));
  } catch {
    return;
  }
  const entry: EntryKind = { name, isDirectory: () => stat.isDirectory(), isFile: () => stat.isFile(), isSymbolicLink: () => stat.isSymbolicLink() };
  const places = await placesOf(root, roots);
  const d = await decide(root, options, absDir, dirRel, entry, stack, places);
  if (d === null) return;
  if (d.type === 'entry') {
    yield d.entry;
    return;
  }
  yield* walkFolders(root, options, d.folder, places, signal);
}
