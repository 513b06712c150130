import type { PinnedPackage } from '../npmCorpus';

/**
 * Training sources: application and library code with doc comments, pinned (and some API
 * declarations). None is reserved for independent evaluation, and none is in the dev corpus
 * (bench:quality); the engine benchmark's corpus measures speed only.
 */
export const TRAIN_PACKAGES: readonly PinnedPackage[] = [
  { name: 'webpack', version: '5.97.1', folders: ['lib'] },
  { name: 'eslint', version: '9.17.0', folders: ['lib'] },
  { name: 'mocha', version: '11.0.1', folders: ['lib'] },
  { name: 'undici', version: '6.21.0', folders: ['lib'] },
  { name: 'luxon', version: '3.5.0', folders: ['src'] },
  { name: 'ws', version: '8.18.0', folders: ['lib'] },
  { name: 'knex', version: '3.1.0', folders: ['lib'] },
  { name: 'sequelize', version: '6.37.5', folders: ['lib'] },
  { name: 'mongoose', version: '8.9.0', folders: ['lib'] },
  { name: 'jsdom', version: '25.0.1', folders: ['lib'] },
  { name: 'pg', version: '8.13.1', folders: ['lib'] },
  { name: '@types/node', version: '20.19.43', folders: ['.'] },
  { name: '@types/vscode', version: '1.96.0', folders: ['.'] },
  { name: '@types/react', version: '19.0.9', folders: ['.'] },
  { name: 'ramda', version: '0.30.0', folders: ['src'] },
  { name: 'date-fns', version: '4.1.0', folders: ['.'] },
  { name: 'async', version: '3.2.2', folders: ['.'] },
  { name: 'graphql', version: '16.10.0', folders: ['.'] },
  { name: 'koa', version: '2.15.4', folders: ['lib'] },
  { name: 'socket.io', version: '4.8.4', folders: ['dist'] },
  { name: 'handlebars', version: '4.7.10', folders: ['lib'] },
  { name: 'joi', version: '17.13.9', folders: ['lib'] },
  { name: 'bluebird', version: '3.7.0', folders: ['js/release'] },
  { name: 'moment', version: '2.31.0', folders: ['src'] },
  { name: 'fastify', version: '5.12.8', folders: ['lib'] },
];

/** Debian's Python 3.11 standard library (package libpython3.11-stdlib). */
export const PYTHON_STDLIB = '/usr/lib/python3.11';

/**
 * Python libraries from Debian packages the trainer needs anyway (python3-numpy, python3-torch,
 * python3-onnx): docstring-rich application code.
 */
export const PYTHON_PACKAGES: ReadonlyArray<{ name: string; dir: string; debian: string }> = [
  { name: 'numpy', dir: '/usr/lib/python3/dist-packages/numpy', debian: 'python3-numpy' },
  { name: 'torch', dir: '/usr/lib/python3/dist-packages/torch', debian: 'python3-torch' },
  { name: 'onnx', dir: '/usr/lib/python3/dist-packages/onnx', debian: 'python3-onnx' },
];

/**
 * Go's and Rust's standard libraries from Debian (golang-1.19-src, rust-src): thoroughly documented
 * application-grade code in two more languages. Only these folders (not test data, vendored code or
 * tools).
 */
export const DEBIAN_SOURCES: ReadonlyArray<{ name: string; dir: string; debian: string; folders: readonly string[] }> = [
  {
    name: 'go-stdlib', dir: '/usr/share/go-1.19/src', debian: 'golang-1.19-src',
    folders: ['bufio', 'bytes', 'context', 'encoding', 'errors', 'flag', 'fmt', 'html', 'io', 'log', 'mime', 'net', 'os', 'path', 'regexp', 'sort', 'strconv', 'strings', 'sync', 'text', 'time', 'unicode', 'archive', 'compress', 'container', 'database', 'crypto'],
  },
  { name: 'rust-std', dir: '/usr/lib/rustlib/src/rust/library', debian: 'rust-src', folders: ['core/src', 'alloc/src', 'std/src'] },
];

/**
 * Java's standard library sources (openjdk-17-source ships them as `lib/src.zip`): Javadoc-rich
 * application code; these folders are extracted into the training cache.
 */
export const JAVA_SOURCES = {
  name: 'java-base', jvmPrefix: 'java-17-openjdk-', debian: 'openjdk-17-source',
  folders: ['java.base/java/util', 'java.base/java/io', 'java.base/java/net', 'java.base/java/time', 'java.base/java/text', 'java.base/java/nio/file'],
} as const;

/**
 * Whole packages kept out of training, at least one per language, to measure generalisation to code
 * the model never saw (npm, Debian source packages and pinned repositories by name). Elixir has a
 * single source (the elixir repository), so it has no held-out package.
 */
export const HELD_OUT: ReadonlySet<string> = new Set([
  'luxon', 'pg', 'ws', 'got', // JavaScript, TypeScript
  'jinja2', 'golang-github-gorilla-mux', 'rust-exa', 'junit4', 'jansson', 'tinyxml2', 'dbus-sharp',
  'haskell-split', 'haskell-yaml', 'php-twig', 'lualine', 'factory_bot', 'ocaml-re',
  'rebar3', 'kotlinx.serialization', 'sbt', 'swift-argument-parser',
]);
