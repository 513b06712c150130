/** Where a command writes: this process's stdout and stderr, or a resident process's client. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

export const PROCESS_OUTPUT: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Where a command the resident process can serve runs: its output, how the index is brought up to date first, and what stops it. */
export interface CommandContext {
  readonly output: CliOutput;
  /** Updates the index (unless --no-update) and returns the line that says what was done. */
  readonly freshen: () => Promise<string>;
  /** Aborted by Ctrl+C in a process of its own, by the client going away in the resident one. */
  readonly signal: AbortSignal;
}

/** Runs `body` with a signal that Ctrl+C aborts: a model's answer is stopped instead of the process being killed mid-write. */
export async function untilInterrupted<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    return await body(controller.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
