/**
 * Names a chunk defines, found by per-language line patterns. Tree-sitter gives symbols for the
 * languages it parses here; these patterns cover every language (Ruby, PHP, Kotlin, Haskell, Lua,
 * Elixir, Swift, Scala, shell … which are chunked by line windows), so "where is X defined" finds
 * the definition by name in any repository (the index's `definitions` table).
 */
export interface Definition {
  readonly name: string;
  /** 1-based file line of the definition. */
  readonly line: number;
}

type Patterns = readonly RegExp[];

/** Each pattern's last capture group is the defined name. */
const C_LIKE_TYPES = /^\s*(?:typedef\s+)?(?:struct|class|union|enum(?:\s+class)?|namespace)\s+(?:\w+\s+)*?([A-Za-z_]\w*)\s*(?:[:{]|$)/;
const C_FUNCTION = /^(?:[A-Za-z_][\w:<>,*&\s]*?[\s*&])?([A-Za-z_][\w:~]*)\s*\([^;]*$/;
const MACRO = /^\s*#\s*define\s+([A-Za-z_]\w*)/;
const JVM_TYPES = /^\s*(?:(?:public|private|protected|internal|static|final|abstract|sealed|open|data|inline|value|enum|annotation|partial|readonly|ref|record|unsafe|file)\s+)*(?:class|interface|enum|record|struct|object|trait)\s+([A-Za-z_]\w*)/;
const JVM_METHOD = /^\s+(?:(?:public|private|protected|internal|static|final|abstract|override|virtual|async|synchronized|native|sealed|extern|new|unsafe|default)\s+)+[\w<>\[\],.?\s]*?\s([A-Za-z_]\w*)\s*(?:<[^>]*>)?\s*\(/;

const BY_EXTENSION: Readonly<Record<string, Patterns>> = {
  js: [/^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/, /^\s*(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/,
    /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)/,
    /^\s*(?:export\s+)?(?:declare\s+)?(?:interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)/,
    /^\s+(?:(?:static|async|get|set|public|private|protected|readonly|override)\s+)*#?([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\([^)]*\)?\s*(?::\s*[^{]+)?\{\s*$/,
    /^\s*(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=/, /^\s*([A-Za-z_$][\w$]*)\.prototype\.([A-Za-z_$][\w$]*)\s*=/],
  py: [/^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)/, /^\s*class\s+([A-Za-z_]\w*)/, /^([A-Z][A-Z0-9_]+)\s*(?::[^=]+)?=/],
  go: [/^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)/, /^\s*type\s+([A-Za-z_]\w*)/, /^\s*(?:const|var)\s+([A-Za-z_]\w*)\s/],
  rs: [/^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+|async\s+|unsafe\s+|extern\s+"[^"]*"\s+)*fn\s+([A-Za-z_]\w*)/,
    /^\s*(?:pub(?:\([^)]*\))?\s+)?(?:struct|enum|trait|type|mod|union|static|const)\s+([A-Za-z_]\w*)/, /^\s*macro_rules!\s*([A-Za-z_]\w*)/,
    /^\s*impl(?:<[^>]*>)?\s+(?:[\w:<>, ]+\s+for\s+)?([A-Za-z_]\w*)/],
  c: [C_LIKE_TYPES, MACRO, C_FUNCTION],
  java: [JVM_TYPES, JVM_METHOD],
  cs: [JVM_TYPES, JVM_METHOD, /^\s+(?:(?:public|private|protected|internal|static|override|virtual|abstract)\s+)+[\w<>\[\],.?]+\s+([A-Za-z_]\w*)\s*(?:\{|=>)/],
  kt: [JVM_TYPES, /^\s*(?:(?:public|private|protected|internal|override|open|abstract|inline|suspend|operator|infix|tailrec|external|actual|expect)\s+)*fun\s+(?:<[^>]*>\s*)?(?:[\w.<>?]+\.)?([A-Za-z_]\w*)/,
    /^\s*(?:(?:public|private|protected|internal|const|override|lateinit)\s+)*(?:val|var)\s+([A-Za-z_]\w*)/, /^\s*typealias\s+([A-Za-z_]\w*)/],
  scala: [/^\s*(?:(?:private|protected|final|sealed|abstract|implicit|case|override|lazy)\s+)*(?:class|object|trait|def|val|var|type|enum|given)\s+([A-Za-z_]\w*)/],
  swift: [/^\s*(?:(?:public|private|fileprivate|internal|open|final|static|class|override|mutating|@\w+)\s+)*(?:func|class|struct|enum|protocol|extension|typealias|actor|init)\s*([A-Za-z_]\w*)/],
  rb: [/^\s*def\s+(?:self\.)?([A-Za-z_]\w*[?!=]?)/, /^\s*(?:class|module)\s+(?:[A-Z]\w*::)*([A-Z]\w*)/, /^\s*([A-Z][A-Z0-9_]+)\s*=/],
  php: [/^\s*(?:(?:abstract|final|readonly)\s+)*(?:class|interface|trait|enum)\s+([A-Za-z_]\w*)/,
    /^\s*(?:(?:public|private|protected|static|abstract|final)\s+)*function\s+&?([A-Za-z_]\w*)/],
  hs: [/^([a-z_][\w']*)\s*::/, /^(?:data|newtype|type(?:\s+family)?|class)\s+(?:\([^)]*\)\s*=>\s*)?([A-Z][\w']*)/, /^instance\s+(?:[^=]*=>\s*)?[A-Z][\w']*\s+\(?([A-Z][\w']*)/],
  lua: [/^\s*(?:local\s+)?function\s+(?:[\w.]+[.:])?([A-Za-z_]\w*)/, /^\s*(?:local\s+)?(?:[\w.]+\.)?([A-Za-z_]\w*)\s*=\s*function\b/],
  ex: [/^\s*(?:def|defp|defmacro|defmacrop|defguard|defdelegate)\s+([a-z_]\w*[?!]?)/, /^\s*(?:defmodule|defprotocol|defimpl)\s+(?:[\w.]+\.)?([A-Z]\w*)/],
  erl: [/^([a-z]\w*)\s*\(/, /^-(?:record|type|opaque)\s*\(\s*([a-z]\w*)/],
  sh: [/^\s*(?:function\s+)?([A-Za-z_][\w:.-]*)\s*\(\)\s*\{?/, /^\s*function\s+([A-Za-z_][\w:.-]*)/],
  vim: [/^\s*fu(?:nction)?!?\s+(?:[sgbwtl]:)?([\w#.]+)/],
  el: [/^\s*\((?:defun|defmacro|defvar|defcustom|defconst)\s+([\w-]+)/],
  ml: [/^\s*(?:let(?:\s+rec)?|and|type|module|val)\s+([a-z_][\w']*)/],
};

const ALIASES: Readonly<Record<string, string>> = {
  ts: 'js', tsx: 'js', mts: 'js', cts: 'js', jsx: 'js', mjs: 'js', cjs: 'js', vue: 'js', svelte: 'js', pyi: 'py',
  h: 'c', cc: 'c', cpp: 'c', cxx: 'c', hpp: 'c', hh: 'c', hxx: 'c', ipp: 'c', m: 'c', mm: 'c',
  kts: 'kt', sc: 'scala', rake: 'rb', gemspec: 'rb', exs: 'ex', hrl: 'erl', bash: 'sh', zsh: 'sh', ksh: 'sh', mli: 'ml',
};

/** Words a C-family "function" line may start with that are statements, not names. */
const NOT_NAMES = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'catch', 'else', 'do', 'case', 'defined', 'elif', 'new', 'delete', 'throw', 'using', 'typedef', 'static_assert', 'assert']);
/** Lines longer than this are data or minified code, not definitions. */
const MAX_LINE = 400;
const MAX_PER_CHUNK = 64;

export function patternsFor(relPath: string): Patterns {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const ext = dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
  return BY_EXTENSION[ALIASES[ext] ?? ext] ?? [];
}

/** Definitions in `text` (a chunk starting at file line `startLine`), in line order, each name once. */
export function definitionsIn(relPath: string, text: string, startLine: number): Definition[] {
  const patterns = patternsFor(relPath);
  if (patterns.length === 0) return [];
  const out: Definition[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (line.length > MAX_LINE || out.length >= MAX_PER_CHUNK || /^\s*(\/\/|#(?!\s*define)|\*|\/\*|--|;)/.test(line)) return;
    for (const pattern of patterns) {
      const m = pattern.exec(line);
      const name = m === null ? undefined : [...m].slice(1).reverse().find((g) => g !== undefined && g !== '');
      if (name === undefined || NOT_NAMES.has(name) || seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      out.push({ name, line: startLine + i });
      break;
    }
  });
  return out;
}

/**
 * What a stored chunk defines: the syntax chunker's symbol names (`A.b`, `x, y`) and the pattern
 * matches of its lines. A dotted symbol is stored whole and by its last part (`b`).
 */
export function chunkDefinitions(relPath: string, chunk: { readonly symbol: string; readonly text: string; readonly startLine: number }): Definition[] {
  const found = definitionsIn(relPath, chunk.text, chunk.startLine);
  const seen = new Set(found.map((d) => d.name.toLowerCase()));
  const lines = chunk.text.split('\n');
  for (const full of chunk.symbol.split(/,\s*/)) {
    for (const name of new Set([full, full.slice(full.lastIndexOf('.') + 1)])) {
      if (!/^[\p{L}_$][\p{L}\p{N}_$.:]*$/u.test(name) || seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      const at = lines.findIndex((l) => l.includes(name.slice(name.lastIndexOf('.') + 1)));
      found.push({ name, line: chunk.startLine + Math.max(0, at) });
    }
  }
  return found;
}
