/**
 * The `sourceline` command's entry: runs the CLI bundle (dist/cli.js) compiled from V8's code cache
 * when one is at hand, and leaves one behind when none was. Compiling the 3 MB bundle was ~40 ms of
 * every search's start (a fifth of a warm `sourceline search`), the same work each time.
 *
 * The cache is the user's own (a 0700 folder under the user's cache directory): compiled code read
 * from a place others can write would run as this user. It is named by the bundle's size and mtime,
 * because V8 checks a cache against its source's length only.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { ESM_IMPORTER } from '../shared/importEsm';
import { errorCode } from '../shared/errors';
import { limitHeapGrowth } from '../shared/mallocTuning';
import { residentAddress } from './resident/address';
import { runInResident } from './resident/client';
import { isResidentCommand } from './resident/protocol';
import { PROCESS_OUTPUT } from './output';
import { indexInTunedProcess, isTunedChild } from './tunedIndexProcess';

const BUNDLE = path.join(__dirname, 'cli.js');

function cacheDir(): string {
  const base = process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'sourceline', 'compile-cache');
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written whole under another name, then renamed: a concurrent start reads the old cache or the new one, never half of one. */
function writeCache(dir: string, file: string, data: Buffer): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const old of readdirSync(dir)) if (old.startsWith('cli-') && path.join(dir, old) !== file) rmSync(path.join(dir, old), { force: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, data, { mode: 0o600 });
    renameSync(partial, file);
  } catch {
    // A cache that cannot be written costs the next start its compile, nothing more.
  }
}

function launch(): void {
  const source = readFileSync(BUNDLE, 'utf8');
  const stat = statSync(BUNDLE);
  const dir = cacheDir();
  const file = path.join(dir, `cli-${stat.size}-${Math.round(stat.mtimeMs)}.v8`);
  const enabled = process.env['SOURCELINE_NO_COMPILE_CACHE'] !== '1';
  const cached = enabled ? readCache(file) : undefined;
  // Node's own module wrapper, on the bundle's first line so its stack traces keep their line numbers.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: BUNDLE,
    ...(cached === undefined ? {} : { cachedData: cached }),
  });
  const wrapper: unknown = script.runInThisContext();
  if (typeof wrapper !== 'function') throw new Error(`${BUNDLE} did not compile to a module`);
  if (enabled && (cached === undefined || script.cachedDataRejected === true)) {
    // After the run, the cache holds the functions the command compiled too, not only the top level.
    process.once('exit', () => writeCache(dir, file, script.createCachedData()));
  }
  // import() inside a vm.Script has no loader (Node drops the callback of a script compiled from a
  // cache, and the callback form wants --experimental-vm-modules): the bundle imports ESM-only
  // packages through shared/importEsm.ts, served from here. The one other import() in the bundle is
  // secretlint's .p12 rule reading the file from disk, inside its own try; .p12 files are binary and
  // are skipped before redaction.

  Reflect.set(globalThis, ESM_IMPORTER, (specifier: string): Promise<unknown> => import(specifier));
  const module = { exports: {} };
  Reflect.apply(wrapper, module.exports, [module.exports, createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE)]);
}

/**
 * A search (or an answering command) goes to the resident process when one runs (resident/): the
 * bundle is then not loaded at all, and the index is already open. Without one, or for any other
 * command, the bundle runs here (and a search starts a resident process for the next).
 */
async function main(): Promise<void> {
  // Before the bundle is compiled: V8 checks a code cache against the flags it was made under.
  limitHeapGrowth();
  const argv = process.argv.slice(2);
  if (!isTunedChild() && indexInTunedProcess(argv, __filename, launch)) return;
  const address = isResidentCommand(argv[0]) ? residentAddress(BUNDLE) : null;
  if (address !== null) {
    // A reader that stops early (`| head`) ends the command quietly, as the bundle's own handler does.
    process.stdout.on('error', (error: unknown) => {
      if (errorCode(error) === 'EPIPE') process.exit(0);
      throw error;
    });
    const code = await runInResident(address.socket, argv, process.cwd(), PROCESS_OUTPUT);
    if (code !== null) {
      process.exitCode = code;
      return;
    }
    process.stdout.removeAllListeners('error');
  }
  launch();
}

void main();
