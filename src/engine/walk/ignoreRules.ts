import ignore, { type Ignore } from 'ignore';

/**
 * Git-style ignore rules in two layers:
 *  - the git layer: built-in excludes, `.git/info/exclude` and every `.gitignore`;
 *  - the Sourceline layer: every `.sourcelineignore`, which can exclude more *and re-include*
 *    what the git layer excludes (`!generated/schema.graphql`).
 * A Sourceline verdict always beats a git verdict; within a layer the deepest file wins, as in git.
 */

/** Where each rule came from, so `status --why` can name the file and line. */
export interface RuleOrigin {
  readonly file: string;
  readonly line: number;
  readonly pattern: string;
}

export type Verdict =
  | { readonly state: 'included'; readonly forced: boolean; readonly rule: RuleOrigin | null }
  | { readonly state: 'excluded'; readonly rule: RuleOrigin };

interface Rule {
  readonly origin: RuleOrigin;
  readonly negative: boolean;
  /** The pattern without its `!`, compiled alone: the last rule that matches decides, as in git. */
  readonly matcher: Ignore;
}

interface RuleFile {
  /** Folder the rules are relative to, root-relative, '' for the root. */
  readonly base: string;
  readonly rules: readonly Rule[];
  /** All positive patterns in one matcher, and all negations (without `!`) in another: most paths match neither. */
  readonly anyPositive: Ignore;
  readonly anyNegative: Ignore;
  /** Root-relative anchored negations, used to decide whether to descend into excluded folders. */
  readonly anchoredNegations: readonly string[];
  /**
   * A needle of each rule (see requiredNeedle), or null when some rule has none: a path holding none
   * of them is matched by no rule, and its matchers are not run.
   */
  readonly needles: readonly string[] | null;
}

export const BUILTIN_EXCLUDES: readonly string[] = [
  // version control
  '.git/', '.hg/', '.svn/', '.jj/', '.bzr/',
  // dependencies
  'node_modules/', 'bower_components/', 'jspm_packages/', '.yarn/', '.pnpm-store/', 'vendor/',
  '.venv/', 'venv/', 'site-packages/',
  // build outputs and caches
  'dist/', 'build/', 'out/', 'target/', 'obj/', '.next/', '.nuxt/', '.svelte-kit/', '.turbo/',
  '.parcel-cache/', '.cache/', 'coverage/', '.nyc_output/', '__pycache__/', '.tox/', '.nox/',
  '.mypy_cache/', '.pytest_cache/', '.ruff_cache/', '*.egg-info/', '.gradle/', '.terraform/',
  '.idea/', '.vs/', '.vscode-test/',
  // lockfiles
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock',
  'Cargo.lock', 'poetry.lock', 'Pipfile.lock', 'Gemfile.lock', 'composer.lock', 'go.sum', 'uv.lock',
  '*.lock',
  // source maps and compiled artefacts
  '*.map', '*.pyc', '*.pyo', '*.class', '*.o', '*.obj', '*.so', '*.dylib', '*.dll', '*.exe', '*.a', '*.lib',
  '*.tsbuildinfo',
];

const BUILTIN_ORIGIN_FILE = '(built-in excludes)';
const INCLUDE_ORIGIN_FILE = '(setting sourceline.index.include)';

function parseRuleFile(base: string, file: string, content: string): RuleFile {
  const rules: Rule[] = [];
  const anchoredNegations: string[] = [];
  const needles = new Set<string>();
  let everyRuleHasNeedle = true;
  const anyPositive = ignore({ allowRelativePaths: true });
  const anyNegative = ignore({ allowRelativePaths: true });
  content.split(/\r?\n/).forEach((raw, index) => {
    const pattern = raw.replace(/\s+$/, '');
    if (pattern === '' || pattern.startsWith('#')) return;
    const negative = pattern.startsWith('!');
    const body = negative ? pattern.slice(1) : pattern;
    rules.push({ origin: { file, line: index + 1, pattern }, negative, matcher: ignore({ allowRelativePaths: true }).add(body) });
    (negative ? anyNegative : anyPositive).add(body);
    const needle = requiredNeedle(body);
    if (needle === null) everyRuleHasNeedle = false;
    else needles.add(needle);
    // A pattern with a slash before its end is anchored to its file's folder (gitignore semantics).
    const trimmed = body.replace(/\/$/, '');
    if (negative && trimmed.includes('/')) anchoredNegations.push(joinRel(base, trimmed.replace(/^\//, '')));
  });
  return { base, rules, anyPositive, anyNegative, anchoredNegations, needles: everyRuleHasNeedle ? [...needles] : null };
}

/**
 * Text every path a pattern matches contains, in the form `/path/` (the root-relative path, lowercased,
 * between slashes), or null when the pattern has no such text.
 *
 * A pattern's literal runs (between `*`, `?` and `/`) occur in every match; a run next to a `/` or an
 * edge of the pattern also starts or ends a path segment (gitignore matches whole segments), which
 * the needle records with a `/`: `*.so` needs `.so/`, `.*` needs `/.`, `build/` needs `/build/`.
 * The rule matches the path or a folder above it, each a prefix of the path: a needle of either is in
 * the whole path. Only ASCII is kept, lowercased: matching ignores case, and without the `u` flag a
 * regex never folds a non-ASCII character to ASCII. A class (`[ch]`) or an escape (`\#`) stands for
 * one character; spaces are left out (whether a matcher keeps a pattern's edge spaces is not ours to
 * rely on).
 */
export function requiredNeedle(body: string): string | null {
  // An escaped character and a class each match one character, as `?` does (an escape's text is
  // left out); a `[` left over is not ours to read.
  const glob = body.replace(/\\./g, '?').replace(/\[.+?\]/g, '?');
  if (glob.includes('\\') || glob.includes('[')) return null;
  let best = '';
  const runs = /[\x21-\x29\x2b-\x2e\x30-\x3e\x40-\x5a\x5e-\x7e]+/g;
  for (let m = runs.exec(glob); m !== null; m = runs.exec(glob)) {
    const before = m.index === 0 ? '/' : glob[m.index - 1];
    const after = m.index + m[0].length === glob.length ? '/' : glob[m.index + m[0].length];
    const needle = `${before === '/' ? '/' : ''}${m[0].toLowerCase()}${after === '/' ? '/' : ''}`;
    if (needle.length > best.length) best = needle;
  }
  return best === '' ? null : best;
}

/** The form of a path that needles are looked for in. */
export function needleHaystack(relPath: string): string {
  return `/${relPath.toLowerCase()}/`;
}

/** Whether a rule file could match the path (as `needleHaystack`) or a folder above it. */
function mayMatch(file: RuleFile, haystack: string): boolean {
  if (file.needles === null) return true;
  for (const needle of file.needles) if (haystack.includes(needle)) return true;
  return false;
}

function joinRel(base: string, rel: string): string {
  return base === '' ? rel : `${base}/${rel}`;
}

function relativeTo(base: string, relPath: string): string | null {
  if (base === '') return relPath;
  return relPath.startsWith(`${base}/`) ? relPath.slice(base.length + 1) : null;
}

type LayerVerdict = { readonly ignored: boolean; readonly rule: RuleOrigin } | null;

function layerVerdict(files: readonly RuleFile[], relPath: string, isDir: boolean): LayerVerdict {
  let verdict: LayerVerdict = null;
  // A needle in the path below a rule file's folder is in the whole path too.
  const haystack = needleHaystack(relPath);
  for (const file of files) {
    const sub = relativeTo(file.base, relPath);
    if (sub === null || sub === '' || !mayMatch(file, haystack)) continue;
    const probe = isDir ? `${sub}/` : sub;
    // Fast path: one test per matcher; the per-rule scan (for order and origin) only runs on a match.
    if (!file.anyPositive.ignores(probe) && !file.anyNegative.ignores(probe)) continue;
    for (let i = file.rules.length - 1; i >= 0; i--) {
      const rule = file.rules[i];
      if (rule !== undefined && rule.matcher.ignores(probe)) {
        verdict = { ignored: !rule.negative, rule: rule.origin };
        break;
      }
    }
  }
  return verdict;
}

/** Shell-style glob for one path segment (`*`, `?`, `[...]`), as gitignore uses. */
function segmentMatches(pattern: string, segment: string): boolean {
  if (pattern === '**') return true;
  const source = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${source}$`).test(segment);
}

/** Could an anchored pattern name something strictly inside `dirRel`? */
function couldMatchInside(pattern: string, dirRel: string): boolean {
  const patternSegments = pattern.split('/');
  const dirSegments = dirRel.split('/');
  for (let i = 0; i < dirSegments.length; i++) {
    const p = patternSegments[i];
    const d = dirSegments[i];
    if (p === undefined || d === undefined) return false;
    if (p === '**') return true;
    if (!segmentMatches(p, d)) return false;
  }
  return patternSegments.length > dirSegments.length;
}

/** The rules in force for one folder during the walk; `enter` returns the stack for a subfolder. */
export class IgnoreStack {
  private constructor(
    private readonly gitFiles: readonly RuleFile[],
    private readonly sourcelineFiles: readonly RuleFile[],
  ) {}

  /** Settings' excludes join the git layer (a `.sourcelineignore` can re-include them); settings' includes are root-level Sourceline negations. */
  static root(extraExcludes: readonly string[], extraIncludes: readonly string[] = []): IgnoreStack {
    const builtin = parseRuleFile('', BUILTIN_ORIGIN_FILE, [...BUILTIN_EXCLUDES, ...extraExcludes].join('\n'));
    const includes = extraIncludes.map((p) => p.trim().replace(/^!+/, '')).filter((p) => p !== '' && !p.startsWith('#'));
    const setting = includes.length === 0 ? [] : [parseRuleFile('', INCLUDE_ORIGIN_FILE, includes.map((p) => `!${p}`).join('\n'))];
    return new IgnoreStack([builtin], setting);
  }

  /** Adds the rule files found in folder `dirRel` (contents already read by the walker). */
  withRuleFiles(dirRel: string, rules: { gitignore?: string; gitInfoExclude?: string; sourcelineignore?: string }): IgnoreStack {
    const git = [...this.gitFiles];
    const sl = [...this.sourcelineFiles];
    if (rules.gitInfoExclude !== undefined) git.push(parseRuleFile(dirRel, '.git/info/exclude', rules.gitInfoExclude));
    if (rules.gitignore !== undefined) git.push(parseRuleFile(dirRel, joinRel(dirRel, '.gitignore'), rules.gitignore));
    if (rules.sourcelineignore !== undefined) {
      sl.push(parseRuleFile(dirRel, joinRel(dirRel, '.sourcelineignore'), rules.sourcelineignore));
    }
    return new IgnoreStack(git, sl);
  }

  verdict(relPath: string, isDir: boolean): Verdict {
    const sl = layerVerdict(this.sourcelineFiles, relPath, isDir);
    if (sl !== null) {
      return sl.ignored ? { state: 'excluded', rule: sl.rule } : { state: 'included', forced: true, rule: sl.rule };
    }
    const git = layerVerdict(this.gitFiles, relPath, isDir);
    if (git !== null && git.ignored) return { state: 'excluded', rule: git.rule };
    return { state: 'included', forced: false, rule: null };
  }

  /** An excluded folder is still entered when a `.sourcelineignore` re-includes a path inside it. */
  shouldDescendExcluded(dirRel: string): boolean {
    return this.sourcelineFiles.some((f) => f.anchoredNegations.some((p) => couldMatchInside(p, dirRel)));
  }
}
