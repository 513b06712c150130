import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import { INDEX_SEMI_SPACE_MB, MALLOC_TUNING } from '../shared/mallocTuning';

/** Set in the environment of the process `sourceline index` runs in, so that one runs the command itself. */
const TUNED_FOR_INDEXING = 'SOURCELINE_TUNED_FOR_INDEXING';

/**
 * `sourceline index` runs in a child process started with the allocator tuning and the 1 MB
 * semi-spaces of the language server's index thread (shared/mallocTuning.ts): both are read when a
 * process starts, and the thread that writes the index fills V8's default 16 MB ones. Go tree
 * (10.8k files, 65.7k chunks): peak RSS 375–389 → 288–302 MiB. The child compiles the bundle itself
 * (its flags would make V8 reject the code cache other commands share), ~100 ms with its start, of a
 * run that takes seconds.
 *
 * False for another command, or when the child could not start (the command then runs here, untuned).
 */
export function indexInTunedProcess(argv: readonly string[], launcher: string, runHere: () => void): boolean {
  if (argv[0] !== 'index') return false;
  let child: ChildProcess;
  try {
    // The IPC channel is how the child learns that this process is gone (isTunedChild).
    child = spawn(process.execPath, [`--max-semi-space-size=${INDEX_SEMI_SPACE_MB}`, launcher, ...argv], {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...MALLOC_TUNING, [TUNED_FOR_INDEXING]: '1', SOURCELINE_NO_COMPILE_CACHE: '1' },
    });
  } catch {
    return false;
  }
  // This process waits for the child and takes its exit code; it holds no open handle of its own.
  child.channel?.unref();
  // Ctrl-C reaches the child too (one process group), which stops where it is and keeps what it
  // committed; this process waits for it. A signal sent to this process alone is passed on.
  process.on('SIGINT', () => undefined);
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  // No child ran (it could not be started): the command runs here after all.
  child.on('error', runHere);
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === null ? 1 : 128 + (os.constants.signals[signal] ?? 0));
  });
  return true;
}

/**
 * Whether this process is the tuned child. If so, its run stops when the command that started it
 * is gone, even by `kill -9` (which passes nothing on): the IPC channel closes with that process,
 * whatever ended it. The committed files stay and the next run resumes (recovery.test.ts).
 */
export function isTunedChild(): boolean {
  if (process.env[TUNED_FOR_INDEXING] !== '1') return false;
  // Not inherited by the processes this one starts: they are not the tuned child.
  Reflect.deleteProperty(process.env, TUNED_FOR_INDEXING);
  const channel = process.channel;
  if (channel === undefined) return true;
  // The channel must not keep the child alive once its run is done.
  channel.unref();
  process.once('disconnect', () => process.exit(129));
  return true;
}
