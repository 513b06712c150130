import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import type { LanguageId } from '../types';
import { LANGUAGES } from './languages';

/**
 * Loads web-tree-sitter and grammars lazily, once per process. A grammar that fails to load is
 * remembered as missing so its files fall back to line windows instead of failing the index.
 */
let init: Promise<void> | undefined;
const languages = new Map<string, Promise<Language | null>>();
const parsers = new Map<string, Parser>();

function grammarDir(): string {
  // The package's `main` is wasm/tree-sitter.js; its folder holds every grammar.
  return path.dirname(require.resolve('@vscode/tree-sitter-wasm'));
}

async function loadLanguage(grammar: string): Promise<Language | null> {
  init ??= Parser.init();
  await init;
  try {
    return await Language.load(path.join(grammarDir(), grammar));
  } catch {
    return null;
  }
}

/** A parser for the language, or null when no grammar is available for it. */
export async function parserFor(language: LanguageId): Promise<Parser | null> {
  const spec = LANGUAGES[language];
  if (spec === undefined) return null;
  let pending = languages.get(spec.grammar);
  if (pending === undefined) {
    pending = loadLanguage(spec.grammar);
    languages.set(spec.grammar, pending);
  }
  const loaded = await pending;
  if (loaded === null) return null;
  let parser = parsers.get(spec.grammar);
  if (parser === undefined) {
    parser = new Parser();
    parser.setLanguage(loaded);
    parsers.set(spec.grammar, parser);
  }
  return parser;
}
