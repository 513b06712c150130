import { identifierParts, isCodeIdentifier, STOPWORDS } from '../text/identifiers';

/**
 * What kind of request this is, which decides how much each kind of evidence counts:
 * - `symbol`: names a code symbol ("FuzzyMatchV2", "where is loadEnv defined") — the definition first;
 * - `question`: a natural-language request ("how are routes chosen across proxies");
 * - `long`: pasted issue text, stack traces, code — identifiers and paths are the strong evidence.
 */
export type QueryKind = 'symbol' | 'question' | 'long';

export interface AnalyzedQuery {
  readonly text: string;
  readonly kind: QueryKind;
  /** FTS5 MATCH expression (every term quoted, OR-ed), or null when nothing is searchable. */
  readonly match: string | null;
  /** The lexical terms the match is made of, lower-cased. */
  readonly terms: readonly string[];
  /** Tokens that look like code identifiers (`parseHTTPResponse`, `user_id`, `Jekyll::Site`'s parts), as typed. */
  readonly identifiers: readonly string[];
  /** Names to look up as definitions: the identifiers, and for a symbol query its bare words too. */
  readonly symbols: readonly string[];
  /** Content words, lower-cased, stopwords out: compared with file names and folders. */
  readonly words: readonly string[];
  /** File paths the text mentions (`src/auth/session.ts`, `session.py`, stack-frame files). */
  readonly paths: readonly string[];
  /** Lines the text points at: stack frames (`at f (src/x.ts:41:7)`, `File "a/b.py", line 10`), `path:line` mentions. */
  readonly locations: ReadonlyArray<{ readonly path: string; readonly line: number }>;
  readonly wantsTests: boolean;
  readonly wantsDocs: boolean;
  readonly wantsFixtures: boolean;
  readonly wantsExamples: boolean;
}

const TOKEN = /[\p{L}\p{N}_$]+/gu;
/** A path-like token: folders and/or a file name with an extension of letters. */
const PATH = /(?:[\w.-]+\/)+[\w.-]+|[\w-]+\.(?:[a-z]{1,5})\b/gi;
/** Words that frame a symbol lookup without being part of the name. */
const LOOKUP_WORDS = new Set(['where', 'is', 'defined', 'define', 'definition', 'find', 'class', 'function', 'method', 'struct', 'type', 'interface', 'trait', 'def', 'fn', 'func', 'module', 'the', 'of', 'declared', 'declaration', 'show', 'me', 'implementation', 'enum', 'object', 'protocol']);
/** Above this many words a request is issue text, not a question. */
const LONG_WORDS = 40;
/** Extensions that never name a source file in prose ("e.g.", "i.e", "v1.2"). */
const NOT_EXTENSIONS = /\.(?:e|g|i|vs|etc|com|org|io|net|\d+)$/i;

function quote(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** An FTS5 MATCH expression that finds chunks with any of the terms (each quoted), or null for none. */
export function matchOf(terms: Iterable<string>): string | null {
  const quoted = [...terms].map(quote);
  return quoted.length === 0 ? null : quoted.join(' OR ');
}

/** `path:line` (JS/Go/Rust/C frames and compiler messages) and Python's `File "path", line N`. */
const LOCATION = /(?<![\w/:.])(\/?(?:[\w.-]+\/)*[\w.-]+\.[a-z]{1,5}):(\d+)(?::\d+)?|File "([^"]+\.[a-z]{1,5})", line (\d+)/gi;
const MAX_LOCATIONS = 12;

function mentionedLocations(text: string): Array<{ path: string; line: number }> {
  const out = new Map<string, { path: string; line: number }>();
  for (const m of text.matchAll(LOCATION)) {
    const path = (m[1] ?? m[3] ?? '').replace(/^\.\//, '');
    const line = Number(m[2] ?? m[4]);
    if (path === '' || !Number.isInteger(line) || line <= 0 || /^https?:/i.test(path)) continue;
    out.set(`${path}:${line}`, { path, line });
  }
  return [...out.values()].slice(0, MAX_LOCATIONS);
}

function mentionedPaths(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(PATH)) {
    const p = m[0].replace(/^\.?\//, '').replace(/[.,:;)]+$/, '');
    if (p.length < 4 || NOT_EXTENSIONS.test(p) || /^\d/.test(p) || /^https?:/i.test(p) || !/\.[a-z]/i.test(p.slice(p.lastIndexOf('/') + 1))) continue;
    out.add(p);
  }
  return [...out];
}

/** Words naming each role a request can ask for. */
const ROLE_WORDS = {
  tests: 'tests?|specs?|unit ?tests?|test cases?|test files?|test suites?|e2e tests?',
  docs: 'docs?|documentation|readme|guides?|tutorials?|changelog|release notes|manual|man page',
  fixtures: 'fixtures?|mocks?|testdata|benchmarks?',
  examples: 'examples?|samples?|demos?',
} as const;

interface RolePatterns {
  /** The role word leads ("tests for the parser"); "test whether …", "test that …" at the start are verbs. */
  readonly leads: RegExp;
  /** It governs what follows ("docs on install"). */
  readonly governs: RegExp;
  /** It is what is wanted ("where are the tests", "the readme"), not a means ("the documentation as …"). */
  readonly wanted: RegExp;
  /** It closes a short request ("parseConfig docs"). */
  readonly closes: RegExp;
}

function rolePatterns(w: string): RolePatterns {
  return {
    leads: new RegExp(`^(?:(?:show|find|list|open|where are|where is|which)\\s+)?(?:me\\s+)?(?:the\\s+|a\\s+|all\\s+)?(?:${w})\\b(?!\\s+(?:whether|if|that|how|the|a|an)\\b)`),
    governs: new RegExp(`\\b(?:${w})\\s+(?:for|of|about|on|covering|that|which|in)\\b`),
    wanted: new RegExp(`\\b(?:the|a|an|failing|existing|new|add|write|missing)\\s+(?:${w})\\b(?!\\s+(?:as|into|to)\\b)`),
    closes: new RegExp(`\\b(?:${w})[?.!]?$`),
  };
}

/** Compiled once: intent is read on every search. */
const ROLE_PATTERNS: Readonly<Record<keyof typeof ROLE_WORDS, RolePatterns>> = {
  tests: rolePatterns(ROLE_WORDS.tests), docs: rolePatterns(ROLE_WORDS.docs), fixtures: rolePatterns(ROLE_WORDS.fixtures), examples: rolePatterns(ROLE_WORDS.examples),
};

/**
 * Whether the request asks for this role rather than mentions it. "package the documentation as an
 * EPUB book" and "inject latency for chaos testing" ask for code.
 */
function asksFor(lower: string, role: keyof typeof ROLE_WORDS): boolean {
  const p = ROLE_PATTERNS[role];
  const words = lower.split(/\s+/).filter((x) => x !== '');
  return p.leads.test(lower) || p.governs.test(lower) || p.wanted.test(lower) || (words.length <= 4 && p.closes.test(lower));
}

/**
 * Asked-for roles come from what the request asks for, not from any word in it: a short request
 * naming tests ("tests for the parser") wants tests; a pasted issue whose template says "test" does not.
 */
function intent(lower: string, kind: QueryKind): Pick<AnalyzedQuery, 'wantsTests' | 'wantsDocs' | 'wantsFixtures' | 'wantsExamples'> {
  if (kind === 'long') return { wantsTests: false, wantsDocs: false, wantsFixtures: false, wantsExamples: false };
  return { wantsTests: asksFor(lower, 'tests'), wantsDocs: asksFor(lower, 'docs'), wantsFixtures: asksFor(lower, 'fixtures'), wantsExamples: asksFor(lower, 'examples') };
}

/** Turns a question, a bare identifier or pasted issue text into lexical terms, evidence and intent. */
export function analyzeQuery(text: string): AnalyzedQuery {
  const tokens = [...text.matchAll(TOKEN)].map((m) => m[0]);
  const identifiers = [...new Set(tokens.filter((t) => isCodeIdentifier(t) || (tokens.length === 1 && t.length > 2)))];
  const terms = new Set<string>();
  for (const token of tokens) {
    const lower = token.toLowerCase();
    const parts = identifierParts(token);
    if (parts.length > 0) {
      terms.add(lower);
      for (const p of parts) if (!STOPWORDS.has(p) || parts.length <= 2) terms.add(p);
    } else if (!STOPWORDS.has(lower) || tokens.length === 1) {
      terms.add(lower);
    }
  }
  const naming = tokens.filter((t) => !LOOKUP_WORDS.has(t.toLowerCase()));
  const kind: QueryKind =
    tokens.length > LONG_WORDS || text.split('\n').length > 3 ? 'long'
    : naming.length > 0 && naming.length <= 2 && (naming.some((t) => isCodeIdentifier(t) || /^[A-Z]/.test(t)) || tokens.length === 1) ? 'symbol'
    : 'question';
  const words = [...new Set(tokens.flatMap((t) => [t.toLowerCase(), ...identifierParts(t)]).filter((w) => w.length > 1 && !STOPWORDS.has(w) && !/^\d+$/.test(w)))];
  const symbols = kind === 'symbol' ? [...new Set([...identifiers, ...naming.filter((t) => t.length > 1)])] : identifiers;
  const lower = text.toLowerCase();
  return {
    text,
    kind,
    match: matchOf(terms),
    terms: [...terms],
    identifiers,
    symbols,
    words,
    paths: mentionedPaths(text),
    locations: mentionedLocations(text),
    ...intent(lower, kind),
  };
}
