import { setFlagsFromString } from 'node:v8';

/**
 * glibc's allocator for the language server process (and the scale bench's index processes, which
 * stand in for it): few arenas, and large blocks (the model's batch tensors, SQLite's buffers)
 * returned to the system when freed instead of kept in the heap. Measured on a 1,400-file index
 * run: peak RSS 452 → 315 MB. Other C libraries ignore these. Read by the allocator at process
 * start, so they are set in the environment of the process being started.
 */
export const MALLOC_TUNING: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };

/**
 * V8's heap growth for processes that index (the CLI, the language server and its index thread, the
 * scale bench's stand-in): the old generation may grow 15% past what the last full collection kept,
 * where V8's own factor (up to 4x while allocation is fast) let an index run's garbage pile up — on
 * the Linux tree (78k files) the main thread's heap reached 376 MB of which ~100 was live. Peak RSS
 * 791 → 535 MiB there, for a few more collections. V8 reads the factor at every collection, so it is
 * set from inside the process; it holds for every thread's isolate.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=15');
}

/**
 * The young generation (semi-spaces) of the isolate that writes an index: the language server's
 * index thread (a worker's resource limit), `sourceline index`'s tuned child and the scale bench's
 * stand-in (a process flag). V8's default lets each semi-space grow to 16 MB, and the indexing
 * thread, which receives every prepared file from the pool, filled them. Go tree (65.7k chunks):
 * stand-in peak RSS 331 → 290 MiB at 1 MB, 320 at 4, same time (23.2–24.5 s). For the CLI a worker
 * thread with these limits was tried instead of a child process: 347 MiB against 304 (allocator
 * tuning in both), the idle main thread being one more isolate of ~20 MiB.
 */
export const INDEX_SEMI_SPACE_MB = 1;
/** The same as a worker's `maxYoungGenerationSizeMb`: V8 sizes a young generation at three semi-spaces (two and the new large-object space). */
export const INDEX_YOUNG_GENERATION_MB = 3 * INDEX_SEMI_SPACE_MB;
