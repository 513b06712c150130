import { describe, expect, it } from 'vitest';
import { IndexController, type UpdateTarget } from '../../src/server/indexController';
import type { IndexState } from '../../src/shared/types';
import type { WorkerReply } from '../../src/server/workerProtocol';

type Progress = Extract<WorkerReply, { type: 'progress' }>;
class Cancelled extends Error {}

/** A stand-in index thread: each update waits until released (or aborted), reporting progress. */
class FakeThread implements UpdateTarget {
  readonly runs: Array<ReadonlySet<string> | null> = [];
  private release: (() => void) | null = null;
  private cancel: (() => void) | null = null;
  running = false;
  constructor(private readonly files = 3) {}

  update(_overlays: ReadonlyMap<string, string>, only: ReadonlySet<string> | null, onProgress: (p: Progress) => void): Promise<Extract<WorkerReply, { type: 'updated' }>> {
    if (this.running) return Promise.reject(new Error('an update is already running'));
    this.running = true;
    this.runs.push(only === null ? null : new Set(only));
    const total = only === null ? this.files : only.size;
    return new Promise((resolve, reject) => {
      this.release = () => {
        for (let i = 1; i <= total; i++) onProgress({ type: 'progress', phase: 'indexing', filesDone: i, filesTotal: total });
        this.running = false;
        resolve({ type: 'updated', filesSeen: total, filesIndexed: total, filesDeleted: 0, seconds: 0.01, notices: [] });
      };
      this.cancel = () => {
        this.running = false;
        reject(new Cancelled('stopped'));
      };
    });
  }

  abort(): void {
    this.cancel?.();
  }

  /** Lets the running update finish. */
  finish(): void {
    this.release?.();
  }
}

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await tick(2);
  if (!check()) throw new Error('timed out');
}

function setup(now?: () => number) {
  const states: Array<{ state: IndexState; done: number; total: number }> = [];
  const controller = new IndexController(
    {
      overlays: () => new Map(),
      knownFiles: () => 10,
      setState: (state, done, total) => states.push({ state, done, total }),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      isCancelled: (e) => e instanceof Cancelled,
      ...(now === undefined ? {} : { now }),
    },
    { debounceMs: 1, typingMs: 1, quietMs: 500, progressMs: 250 },
  );
  return { controller, states };
}

describe('the server\'s index controller', () => {
  it('walks everything first, then decides only the changed paths', async () => {
    const { controller, states } = setup();
    const thread = new FakeThread();
    controller.attach(thread);
    await until(() => thread.running);
    thread.finish();
    await controller.idle();
    controller.pathChanged('/r/a.ts');
    await until(() => thread.running);
    thread.finish();
    await controller.idle();
    expect(thread.runs).toEqual([null, new Set(['/r/a.ts'])]);
    expect(states[states.length - 1]).toEqual({ state: 'ready', done: 10, total: 10 });
  });

  it('coalesces events during an update into exactly one more, with all their paths', async () => {
    const { controller } = setup();
    const thread = new FakeThread();
    controller.attach(thread);
    await until(() => thread.running);
    for (const p of ['/r/a.ts', '/r/b.ts', '/r/c.ts']) controller.pathChanged(p, true);
    await tick(20);
    expect(thread.runs).toHaveLength(1);
    thread.finish();
    await until(() => thread.runs.length === 2 && thread.running);
    thread.finish();
    await controller.idle();
    await tick(20);
    expect(thread.runs).toEqual([null, new Set(['/r/a.ts', '/r/b.ts', '/r/c.ts'])]);
  });

  it('pause stops the running update, nothing runs while paused, and resume walks again', async () => {
    const { controller, states } = setup();
    const thread = new FakeThread();
    controller.attach(thread);
    await until(() => thread.running);
    await controller.pause();
    expect(thread.running).toBe(false);
    controller.pathChanged('/r/a.ts');
    await tick(20);
    expect(thread.runs).toHaveLength(1);
    expect(states.some((s) => s.state === 'error')).toBe(false);
    controller.resume();
    await until(() => thread.running);
    // What the stopped run did not finish is redone by a full walk (the change included).
    expect(thread.runs[1]).toBeNull();
    thread.finish();
    await controller.idle();
  });

  it('detach (clear, close) stops a running update and runs nothing after', async () => {
    const { controller } = setup();
    const thread = new FakeThread();
    controller.attach(thread);
    await until(() => thread.running);
    await controller.detach();
    controller.pathChanged('/r/a.ts');
    await tick(20);
    expect(thread.runs).toHaveLength(1);
    // A new index (after clear) starts with a full walk.
    const next = new FakeThread();
    controller.attach(next);
    await until(() => next.running);
    expect(next.runs).toEqual([null]);
    next.finish();
    await controller.idle();
  });

  it('shows the first update\'s progress, and none for a short one later', async () => {
    let clock = 0;
    const { controller, states } = setup(() => clock);
    const thread = new FakeThread(3);
    controller.attach(thread);
    await until(() => thread.running);
    thread.finish();
    await controller.idle();
    // The first update: progress throttled to the last (complete) count, then ready.
    expect(states.filter((s) => s.state === 'indexing')).toEqual([{ state: 'indexing', done: 1, total: 3 }, { state: 'indexing', done: 3, total: 3 }]);
    const before = states.length;
    controller.pathChanged('/r/a.ts');
    await until(() => thread.running);
    clock += 100;
    thread.finish();
    await controller.idle();
    expect(states.slice(before).map((s) => s.state)).toEqual(['ready']);
  });
});
