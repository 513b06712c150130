/** Where a command writes: this process's stdout and stderr, or a resident process's client. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

export const PROCESS_OUTPUT: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};
