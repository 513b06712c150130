import { describe, expect, it } from 'vitest';
import { chunkDefinitions, definitionsIn } from '../../src/engine/chunk/definitions';

const names = (relPath: string, text: string): string[] => definitionsIn(relPath, text, 1).map((d) => d.name);

describe('definitions by language', () => {
  it.each([
    ['lib/jekyll/utils.rb', 'module Jekyll\n  module Utils\n    def slugify(string, mode: nil)\n    end\n    def self.deep_merge!(a, b)\n  end\nend', ['Jekyll', 'Utils', 'slugify', 'deep_merge!']],
    ['src/Parser/Cursor.php', '<?php\nfinal class Cursor\n{\n    public function advanceBy(int $n): void\n    {\n    }\n    private static function &ref() {}', ['Cursor', 'advanceBy', 'ref']],
    ['okhttp3/Cache.kt', 'class Cache internal constructor(\n) {\n  fun urls(): MutableIterator<String> {\n  internal fun HttpUrl.key(): String =\n  val size: Long\n}\ntypealias CacheKey = String', ['Cache', 'urls', 'key', 'size', 'CacheKey']],
    ['src/ShellCheck/Fixer.hs', 'module ShellCheck.Fixer where\napplyFix :: Fix -> Array Int String -> [String]\napplyFix fix = undefined\ndata PSTree n = PSBranch\nnewtype Fixer a = Fixer (State Int a)\ninstance Functor Fixer where', ['applyFix', 'PSTree', 'Fixer']],
    ['src/luarocks/fs.lua', 'local fs = {}\nfunction fs.copy(src, dest)\nend\nlocal function helper() end\nfs.move = function(a, b) end', ['copy', 'helper', 'move']],
    ['lib/ex_doc/cli.ex', 'defmodule ExDoc.CLI do\n  def main(args) do\n  defp parse_args(args), do: args\n  defmacro __using__(_) do', ['CLI', 'main', 'parse_args', '__using__']],
    ['src/builtin.c', '#define MAX_DEPTH 256\nstatic jv f_sort(jq_state *jq, jv input){\n  if (x) {\n    return f(x);\n  }\n}\nstruct sort_entry {\n', ['MAX_DEPTH', 'f_sort', 'sort_entry']],
    ['src/merger.go', 'func NewMerger(pattern *Pattern) *Merger {\n}\nfunc (mg *Merger) Length() int {\ntype Merger struct {', ['NewMerger', 'Length', 'Merger']],
    ['crates/ignore/src/walk.rs', 'pub struct WalkParallel {\n}\nimpl WalkParallel {\n    pub fn run<F>(self, f: F) {\nmacro_rules! walk { }', ['WalkParallel', 'run', 'walk']],
    ['lib/help.js', "class Help {\n  formatHelp(cmd, helper) {\n  }\n}\nfunction camelcase(str) {}\nconst splitFlags = (flags) => flags;\nexports.Help = Help;", ['Help', 'formatHelp', 'camelcase', 'splitFlags']],
    ['src/black/cache.py', 'class Cache:\n    def read(cls, mode):\n        pass\nasync def shutdown(loop):\nDEFAULT_TIMEOUT = 5', ['Cache', 'read', 'shutdown', 'DEFAULT_TIMEOUT']],
    ['shell/common.sh', '__fzf_exec_awk() {\n  awk "$@"\n}\nfunction __fzf_cd__ {\n', ['__fzf_exec_awk', '__fzf_cd__']],
  ])('%s', (relPath, text, expected) => {
    expect(names(relPath, text)).toEqual(expected);
  });

  it('skips statements, comments and minified lines', () => {
    expect(names('a.c', 'if (x) {\n// int fake(void) {\nwhile (y) {\n')).toEqual([]);
    expect(names('a.js', `function ${'x'.repeat(500)}() {}`)).toEqual([]);
    expect(names('notes.md', 'def not_code():')).toEqual([]);
  });

  it('adds the syntax chunker symbols, whole and by their last part, with their lines', () => {
    const defs = chunkDefinitions('src/store.ts', { symbol: 'Store.loadUser', text: 'class Store {\n  loadUser(id) {\n  }\n}', startLine: 10 });
    expect(defs).toEqual(expect.arrayContaining([{ name: 'Store', line: 10 }, { name: 'loadUser', line: 11 }, { name: 'Store.loadUser', line: 11 }]));
  });
});
