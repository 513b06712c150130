import type { ChunkKind, LanguageId } from '../types';

/**
 * What the syntax chunker needs to know about a grammar. Node type names are those of the grammars
 * shipped in @vscode/tree-sitter-wasm (C uses the C++ grammar: none ships for C, and C parses as C++
 * well enough to find functions, structs and their line ranges).
 */
export interface LanguageSpec {
  readonly grammar: string;
  /** Node types that are one unit of code each. */
  readonly units: Readonly<Record<string, ChunkKind>>;
  /** Unit types whose body holds further units; a big one is split into its members. */
  readonly containers: ReadonlySet<string>;
  /** Nodes whose children are considered at the same level (preprocessor blocks, `extern "C"`). */
  readonly transparent: ReadonlySet<string>;
  /** Nodes that wrap a unit and lend it their range (export, decorators, templates). */
  readonly wrappers: ReadonlySet<string>;
  /** Comment-like siblings that belong to the unit that follows them (doc comments, attributes). */
  readonly leading: ReadonlySet<string>;
}

const JS_UNITS: Record<string, ChunkKind> = {
  function_declaration: 'function',
  generator_function_declaration: 'function',
  class_declaration: 'class',
  abstract_class_declaration: 'class',
  class: 'class',
  method_definition: 'method',
  interface_declaration: 'type',
  type_alias_declaration: 'type',
  enum_declaration: 'type',
  function_signature: 'function',
  internal_module: 'module',
  module: 'module',
  // `const f = () => …`, `exports.f = function …`, `foo = () => …` in class bodies: see functionValueName.
  lexical_declaration: 'function',
  variable_declaration: 'function',
  expression_statement: 'function',
  public_field_definition: 'method',
};

const JS_LIKE: Omit<LanguageSpec, 'grammar'> = {
  units: JS_UNITS,
  containers: new Set(['class_declaration', 'abstract_class_declaration', 'class', 'interface_declaration', 'internal_module', 'module']),
  transparent: new Set(),
  wrappers: new Set(['export_statement', 'ambient_declaration']),
  leading: new Set(['comment', 'decorator']),
};

const C_LIKE: Omit<LanguageSpec, 'grammar'> = {
  units: {
    function_definition: 'function',
    class_specifier: 'class',
    struct_specifier: 'class',
    union_specifier: 'class',
    enum_specifier: 'type',
    namespace_definition: 'module',
    concept_definition: 'type',
  },
  containers: new Set(['class_specifier', 'struct_specifier', 'namespace_definition']),
  transparent: new Set(['preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef', 'linkage_specification', 'declaration_list']),
  wrappers: new Set(['template_declaration', 'type_definition', 'declaration']),
  leading: new Set(['comment']),
};

export const LANGUAGES: Readonly<Partial<Record<LanguageId, LanguageSpec>>> = {
  typescript: { grammar: 'tree-sitter-typescript.wasm', ...JS_LIKE },
  tsx: { grammar: 'tree-sitter-tsx.wasm', ...JS_LIKE },
  javascript: { grammar: 'tree-sitter-javascript.wasm', ...JS_LIKE },
  python: {
    grammar: 'tree-sitter-python.wasm',
    units: { function_definition: 'function', class_definition: 'class' },
    containers: new Set(['class_definition']),
    transparent: new Set(),
    wrappers: new Set(['decorated_definition']),
    leading: new Set(['comment']),
  },
  go: {
    grammar: 'tree-sitter-go.wasm',
    units: { function_declaration: 'function', method_declaration: 'method', type_declaration: 'type' },
    containers: new Set(),
    transparent: new Set(),
    wrappers: new Set(),
    leading: new Set(['comment']),
  },
  rust: {
    grammar: 'tree-sitter-rust.wasm',
    units: {
      function_item: 'function',
      impl_item: 'class',
      trait_item: 'type',
      struct_item: 'type',
      enum_item: 'type',
      union_item: 'type',
      mod_item: 'module',
      macro_definition: 'function',
    },
    containers: new Set(['impl_item', 'trait_item', 'mod_item']),
    transparent: new Set(),
    wrappers: new Set(),
    leading: new Set(['line_comment', 'block_comment', 'attribute_item']),
  },
  java: {
    grammar: 'tree-sitter-java.wasm',
    units: {
      class_declaration: 'class',
      interface_declaration: 'type',
      enum_declaration: 'type',
      record_declaration: 'class',
      annotation_type_declaration: 'type',
      method_declaration: 'method',
      constructor_declaration: 'method',
    },
    containers: new Set(['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration']),
    transparent: new Set(),
    wrappers: new Set(),
    leading: new Set(['line_comment', 'block_comment']),
  },
  csharp: {
    grammar: 'tree-sitter-c-sharp.wasm',
    units: {
      namespace_declaration: 'module',
      class_declaration: 'class',
      struct_declaration: 'class',
      record_declaration: 'class',
      interface_declaration: 'type',
      enum_declaration: 'type',
      method_declaration: 'method',
      constructor_declaration: 'method',
      destructor_declaration: 'method',
      operator_declaration: 'method',
      property_declaration: 'method',
      local_function_statement: 'function',
    },
    containers: new Set(['namespace_declaration', 'class_declaration', 'struct_declaration', 'record_declaration', 'interface_declaration']),
    transparent: new Set(['file_scoped_namespace_declaration']),
    wrappers: new Set(),
    leading: new Set(['comment']),
  },
  c: { grammar: 'tree-sitter-cpp.wasm', ...C_LIKE },
  cpp: { grammar: 'tree-sitter-cpp.wasm', ...C_LIKE },
};
