import type { LanguageId } from '../types';

/** Names of files that commonly carry credentials; matched on the base name, case-insensitively. */
const SECRET_NAME_PATTERNS: readonly RegExp[] = [
  // dotenv and direnv files, their per-environment copies and editor backups: .env, .env.local, .env~, production.env, .envrc
  /^\.env($|[.~_-])/, /\.env$/, /^\.envrc$/,
  /\.(pem|key|p12|pfx|jks|keystore|kdbx|ppk|asc|gpg)$/,
  /^id_(rsa|dsa|ecdsa|ed25519)/,
  /^[._](npmrc|pypirc|netrc|git-credentials|htpasswd|pgpass|dockercfg|s3cfg|boto|vault-token|my\.cnf)$/,
  /^htpasswd$/,
  /^credentials(\.(json|ya?ml|xml|txt))?$/,
  /^(credentials|secrets|master)(\.[a-z]+)*\.(enc|key)$/,
  /^(secrets?|tokens?|passwords?|api[-_]?keys?)(\.(json|ya?ml|toml|env|txt|ini|cfg|conf))?$/,
  /^service[-_]?account.*\.json$/,
  /^kubeconfig(\..*)?$/,
  /\.tfvars(\.json)?$/, /\.tfstate(\.backup)?$/,
  /^wp-config\.php$/,
  /^application-(prod|production)\.(properties|ya?ml)$/,
];

/** Credential files known by their folder too: `.docker/config.json`, `.kube/config`, `.aws/config`. */
const SECRET_PATH_PATTERNS: readonly RegExp[] = [/(^|\/)\.docker\/config\.json$/, /(^|\/)\.kube\/config$/, /(^|\/)\.aws\/(config|credentials)$/];

function isSecretName(baseName: string): boolean {
  const lower = baseName.toLowerCase();
  return SECRET_NAME_PATTERNS.some((re) => re.test(lower));
}

/** Whether a root-relative path names a credential file, by its base name or its folder. */
export function isSecretPath(relPath: string): boolean {
  const lower = relPath.toLowerCase();
  return isSecretName(lower.slice(lower.lastIndexOf('/') + 1)) || SECRET_PATH_PATTERNS.some((re) => re.test(lower));
}

/** Extensions that are never text; skipping them by name saves reading the bytes. */
const BINARY_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'webp', 'avif', 'tif', 'tiff', 'psd', 'icns',
  'woff', 'woff2', 'ttf', 'otf', 'eot',
  'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', '7z', 'rar', 'tar', 'jar', 'war', 'whl', 'nupkg', 'vsix',
  'mp3', 'mp4', 'm4a', 'wav', 'ogg', 'flac', 'webm', 'mov', 'avi', 'mkv',
  'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx',
  'wasm', 'onnx', 'bin', 'dat', 'db', 'sqlite', 'sqlite3', 'pkl', 'pt', 'npy', 'npz', 'parquet',
]);

export function extensionOf(baseName: string): string {
  const dot = baseName.lastIndexOf('.');
  return dot <= 0 ? '' : baseName.slice(dot + 1).toLowerCase();
}

export function isBinaryName(baseName: string): boolean {
  return BINARY_EXTENSIONS.has(extensionOf(baseName));
}

export function isMinifiedName(baseName: string): boolean {
  return /\.min\.(js|css|mjs)$/i.test(baseName) || /[-.]bundle\.js$/i.test(baseName);
}

const LANGUAGE_BY_EXTENSION: Readonly<Record<string, LanguageId>> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript',
  tsx: 'tsx',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  py: 'python', pyi: 'python',
  go: 'go',
  rs: 'rust',
  java: 'java',
  cs: 'csharp',
  c: 'c', h: 'c',
  cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', hxx: 'cpp', ipp: 'cpp',
  md: 'markdown', markdown: 'markdown', mdx: 'markdown',
};

/** Language names of code files by extension, also for languages without a grammar: what users filter by and reports group by. */
const LANGUAGE_NAME_BY_EXTENSION: Readonly<Record<string, string>> = {
  ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript', js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  py: 'python', pyi: 'python', go: 'go', rs: 'rust', java: 'java', kt: 'kotlin', kts: 'kotlin', scala: 'scala', cs: 'csharp', c: 'c', h: 'c',
  cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', rb: 'ruby', php: 'php', hs: 'haskell', lua: 'lua', ex: 'elixir', exs: 'elixir',
  erl: 'erlang', hrl: 'erlang', swift: 'swift', ml: 'ocaml', mli: 'ocaml', sh: 'shell', bash: 'shell', md: 'markdown', mdx: 'markdown',
};

/** `typescript`, `ruby`, `cpp`, … for a file name, or null for a file that is not code in a known language. */
export function languageNameOf(baseName: string): string | null {
  return LANGUAGE_NAME_BY_EXTENSION[extensionOf(baseName)] ?? null;
}

export function languageOf(baseName: string): LanguageId | null {
  return LANGUAGE_BY_EXTENSION[extensionOf(baseName)] ?? null;
}

const TEST_PATH = /(^|\/)(tests?|__tests__|spec|specs|testing|e2e|androidTest|testFixtures|[\w.]+\.tests?)\/|[._-](test|spec|tests)\.[a-z]+$|(^|\/)test_[^/]+\.py$|_test\.(go|py|rb|exs?)$|_spec\.rb$|\.feature$/i;
/** JVM and .NET test classes: `ParserTest.java`, `CacheTests.cs` (case matters: `Contest.java` is not one). */
const TEST_CLASS = /(^|\/)[A-Z]\w*Tests?\.(java|kt|cs|swift|scala)$/;
const DOC_PATH = /(^|\/)(docs?|documentation|man)\/|\.(md|mdx|markdown|rst|txt|adoc|pod|[1-9]|prebuilt)$/i;
const EXAMPLE_PATH = /(^|\/)(examples?|samples?|demos?|playground)\//i;
const FIXTURE_PATH = /(^|\/)(fixtures?|__fixtures__|__mocks__|mocks?|testdata|test-data|__snapshots__|benchmarks?|benches)\//i;
/** Release notes and changelogs: they mention every feature once, and explain none. */
const CHANGELOG_NAME = /^(changes|changelog|history|news|releases?|release[-_]notes|authors|contributors|upgrad(e|ing))([._-][\w.-]*)?$/i;
/** Repository chrome: issue and pull-request templates, CI workflows, editor and bot settings. */
const TEMPLATE_PATH = /(^|\/)\.(github|gitlab|circleci|devcontainer|vscode|idea)\//;
const DECLARATION_PATH = /\.d\.[mc]?ts$/;

/** Paths whose chunks rank lower unless the query asks for them. */
export type PathRole = 'source' | 'test' | 'doc' | 'fixture' | 'example' | 'changelog' | 'template' | 'declaration';

export function pathRole(relPath: string): PathRole {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  if (CHANGELOG_NAME.test(base) && !/\.(js|ts|py|go|rs|rb|java|c|h|cpp|cs|kt|php|lua|ex|hs)$/.test(base)) return 'changelog';
  if (TEMPLATE_PATH.test(relPath)) return 'template';
  if (FIXTURE_PATH.test(relPath)) return 'fixture';
  if (TEST_PATH.test(relPath) || TEST_CLASS.test(relPath)) return 'test';
  if (EXAMPLE_PATH.test(relPath)) return 'example';
  if (DOC_PATH.test(relPath)) return 'doc';
  if (DECLARATION_PATH.test(relPath)) return 'declaration';
  return 'source';
}
