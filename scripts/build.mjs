// One build script owns bundling and the native-module boundary (design.md rule 8):
// native or wasm-loading packages stay external and are shipped from node_modules.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const external = [
  'better-sqlite3',
  'sqlite-vec',
  'onnxruntime-node',
  'web-tree-sitter',
  '@vscode/tree-sitter-wasm',
  '@xenova/transformers',
  'vscode',
];

/** Entry points; later stages (client, server, webview) add theirs here. */
const entries = [
  { in: 'src/cli/main.ts', out: 'dist/cli.js' },
  { in: 'src/cli/launch.ts', out: 'dist/launch.js' },
  { in: 'src/server/server.ts', out: 'dist/server.js' },
  { in: 'src/server/indexWorker.ts', out: 'dist/indexWorker.js' },
  { in: 'src/engine/indexing/prepareWorker.ts', out: 'dist/prepareWorker.js' },
  { in: 'src/client/extension.ts', out: 'dist/extension.js' },
  { in: 'bench/engine.ts', out: 'dist/bench/engine.js' },
  { in: 'bench/scale.ts', out: 'dist/bench/scale.js' },
  { in: 'bench/scaleIndex.ts', out: 'dist/bench/scaleIndex.js' },
  { in: 'bench/quality.ts', out: 'dist/bench/quality.js' },
  { in: 'bench/wild.ts', out: 'dist/bench/wild.js' },
  { in: 'bench/wildOne.ts', out: 'dist/bench/wildOne.js' },
  { in: 'tools/embedder/mine.ts', out: 'dist/tools/mine.js' },
  { in: 'tools/reranker/train.ts', out: 'dist/tools/trainReranker.js' },
  { in: 'tools/devsets/mineCommits.ts', out: 'dist/tools/mineCommits.js' },
  { in: 'bench/devsets/run.ts', out: 'dist/bench/dev.js' },
].filter((e) => existsSync(e.in));

// The chat webview runs in a browser frame: its own bundle, no Node, no externals.
const webview = { entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', bundle: true, minify: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build(webview),
  ...entries.map((e) =>
    build({
      entryPoints: [e.in],
      outfile: e.out,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      external,
      define: { SOURCELINE_VERSION: JSON.stringify(version) },
      logLevel: 'warning',
    }),
  ),
]);
