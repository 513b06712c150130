// npm run package: builds the .vsix for this platform with vsce (design.md rule 8: one script owns
// the native boundary). The bundles are self-contained except the native and wasm-loading modules,
// which are copied from node_modules with their runtime dependencies, then pruned to this platform
// (onnxruntime ships every OS and CPU in one package). Packaging happens in a staging folder, so
// .vscodeignore is a short allowlist and nothing of the repository leaks in.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAGE = path.join(ROOT, 'out', 'vsix');
/** The modules the bundles leave external (scripts/build.mjs), i.e. loaded from node_modules at run time. */
const RUNTIME_EXTERNALS = ['better-sqlite3', 'sqlite-vec', 'onnxruntime-node', 'web-tree-sitter', '@vscode/tree-sitter-wasm', '@xenova/transformers'];
const PLATFORM = process.platform;
const ARCH = process.arch;
const TARGET = `${PLATFORM === 'win32' ? 'win32' : PLATFORM}-${ARCH}`;

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Where Node would resolve `name` from `fromDir` (nested node_modules first, as require does). */
function resolvePackage(name, fromDir) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === ROOT || path.dirname(dir) === dir) return null;
  }
}

/** Every installed package the externals need at run time (dependencies and installed optional ones). */
function closure() {
  const found = new Set();
  const visit = (dir) => {
    if (found.has(dir)) return;
    found.add(dir);
    const pkg = readJson(path.join(dir, 'package.json'));
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      const at = resolvePackage(dep, dir);
      if (at !== null) visit(at);
      else if (!(dep in (pkg.optionalDependencies ?? {}))) throw new Error(`${pkg.name} needs ${dep}, which is not installed: run npm install`);
    }
  };
  for (const name of RUNTIME_EXTERNALS) {
    const at = resolvePackage(name, ROOT);
    if (at === null) throw new Error(`${name} is not installed: run npm install`);
    visit(at);
  }
  return [...found];
}

/** Files no extension needs at run time. */
const JUNK = /(\.(md|markdown|map|ts|tsbuildinfo|c|cc|cpp|h|hpp|gyp|gypi|mk|o|a|lib|pdb|exp)$)|(^|\/)(test|tests|docs?|example|examples|benchmark|\.github)(\/|$)/i;
/** Per package: folders only its build or other runtimes use (C sources, browser bundles, CLIs). */
const UNUSED = {
  'better-sqlite3': ['deps', 'src'],
  '@xenova/transformers': ['dist'],
  protobufjs: ['cli'],
};
/** The tree-sitter grammars the chunker loads (src/engine/chunk/languages.ts), and the runtime. */
const GRAMMARS = new Set([...readFileSync(path.join(ROOT, 'src', 'engine', 'chunk', 'languages.ts'), 'utf8').matchAll(/tree-sitter-[\w-]+\.wasm/g)].map((m) => m[0]));

function copyPackage(dir) {
  const rel = path.relative(ROOT, dir);
  cpSync(dir, path.join(STAGE, rel), {
    recursive: true,
    filter: (source) => {
      const inner = path.relative(dir, source).split(path.sep).join('/');
      if (inner === '') return true;
      // Nested node_modules are packages of their own: copied (or not) by the closure.
      if (inner === 'node_modules' || inner.startsWith('node_modules/')) return false;
      const name = rel.split(path.sep).slice(rel.split(path.sep).lastIndexOf('node_modules') + 1).join('/');
      if ((UNUSED[name] ?? []).some((u) => inner === u || inner.startsWith(`${u}/`))) return false;
      if (name === 'better-sqlite3' && inner.startsWith('build/') && inner !== 'build/Release' && inner !== 'build/Release/better_sqlite3.node') return false;
      if (name === '@vscode/tree-sitter-wasm' && /^wasm\/tree-sitter-.+\.wasm$/.test(inner) && !GRAMMARS.has(inner.slice('wasm/'.length))) return false;
      return !JUNK.test(inner) || inner === 'package.json';
    },
  });
}

/** onnxruntime-node ships binaries for every OS and CPU: keep this platform's. */
function pruneOtherPlatforms() {
  const removed = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (!entry.isDirectory()) continue;
      if (/^napi-v\d+$/.test(entry.name) && path.basename(dir) === 'bin') {
        for (const os of readdirSync(full)) {
          if (os !== PLATFORM) {
            rmSync(path.join(full, os), { recursive: true, force: true });
            removed.push(`${path.relative(STAGE, full)}/${os}`);
            continue;
          }
          for (const arch of readdirSync(path.join(full, os))) {
            if (arch !== ARCH) {
              rmSync(path.join(full, os, arch), { recursive: true, force: true });
              removed.push(`${path.relative(STAGE, full)}/${os}/${arch}`);
            }
          }
        }
      } else walk(full);
    }
  };
  walk(path.join(STAGE, 'node_modules'));
  // onnxruntime-web's wasm runtimes: @xenova/transformers imports the package, but in Node it runs models on onnxruntime-node.
  const web = path.join(STAGE, 'node_modules', 'onnxruntime-web', 'dist');
  if (existsSync(web)) for (const f of readdirSync(web)) if (f.endsWith('.wasm')) rmSync(path.join(web, f));
  return removed;
}

function sizeOf(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.size;
  return readdirSync(p).reduce((sum, f) => sum + sizeOf(path.join(p, f)), 0);
}

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function main() {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  rmSync(STAGE, { recursive: true, force: true });
  mkdirSync(STAGE, { recursive: true });
  const pkg = readJson(path.join(ROOT, 'package.json'));
  // The manifest users install: no scripts, no dev tooling; dependencies are shipped, not installed.
  // overrides stay: npm list checks the shipped tree against them (sharp is overridden for @xenova/transformers).
  const DEV_ONLY = new Set(['scripts', 'devDependencies', 'bin', 'private']);
  const manifest = Object.fromEntries(Object.entries(pkg).filter(([key]) => !DEV_ONLY.has(key)));
  // Its dependencies are what the bundles load at run time (the rest is bundled): vsce ships their tree.
  const dependencies = Object.fromEntries(RUNTIME_EXTERNALS.map((name) => [name, readJson(path.join(ROOT, 'node_modules', name, 'package.json')).version]));
  writeFileSync(path.join(STAGE, 'package.json'), `${JSON.stringify({ ...manifest, dependencies }, null, 2)}\n`);
  for (const f of ['LICENSE', '.vscodeignore']) cpSync(path.join(ROOT, f), path.join(STAGE, f));
  // The extension's page is for users (docs/extension/README.md); this repository's README is for contributors.
  cpSync(path.join(ROOT, 'docs', 'extension', 'README.md'), path.join(STAGE, 'README.md'));
  cpSync(path.join(ROOT, 'docs', 'images'), path.join(STAGE, 'docs', 'images'), { recursive: true });
  cpSync(path.join(ROOT, 'media'), path.join(STAGE, 'media'), { recursive: true });
  cpSync(path.join(ROOT, 'models'), path.join(STAGE, 'models'), { recursive: true });
  cpSync(path.join(ROOT, 'dist'), path.join(STAGE, 'dist'), { recursive: true, filter: (s) => !s.endsWith('.map') && !s.includes(`${path.sep}bench`) && !s.includes(`${path.sep}tools`) });
  const packages = closure();
  for (const dir of packages) copyPackage(dir);
  const removed = pruneOtherPlatforms();
  const out = path.join(ROOT, `sourceline-${pkg.version}-${TARGET}.vsix`);
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--target', TARGET, '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], { cwd: STAGE, stdio: 'inherit' });
  const report = {
    vsix: path.relative(ROOT, out),
    target: TARGET,
    bytes: statSync(out).size,
    size: mib(statSync(out).size),
    unpacked: mib(sizeOf(STAGE)),
    packages: packages.length,
    prunedPlatformFolders: removed.length,
    betterSqlite3: 'built for Node ABI ' + process.versions.modules + ' (code-server / VS Code Server); desktop VS Code needs an Electron rebuild: see README, Packaging',
  };
  writeFileSync(path.join(ROOT, 'out', 'package-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${report.vsix}: ${report.size} (unpacked ${report.unpacked}, ${report.packages} runtime packages, ${removed.length} other-platform folders pruned)\n`);
}

main();
