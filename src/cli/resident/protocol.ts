import * as z from 'zod/v4-mini';

/**
 * What the launcher and the resident search process say over the socket: one JSON message a line
 * each way. A request is the command line as typed (argv and working folder), parsed by the resident
 * process exactly as a CLI process would; the replies are the command's own stdout and stderr text
 * and its exit code, or a refusal that sends the launcher to run the command itself.
 */
export const RESIDENT_PROTOCOL = 1;

/** The commands the launcher hands to a resident process (cli/served.ts runs them); every other runs in its own. */
export const RESIDENT_COMMANDS: readonly string[] = ['search', 'ask', 'docstring', 'commit-message'];

export function isResidentCommand(command: string | undefined): boolean {
  return command !== undefined && RESIDENT_COMMANDS.includes(command);
}

export const residentRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), v: z.literal(RESIDENT_PROTOCOL), argv: z.array(z.string()), cwd: z.string() }),
  z.object({ kind: z.literal('ping'), v: z.literal(RESIDENT_PROTOCOL) }),
  z.object({ kind: z.literal('stop'), v: z.literal(RESIDENT_PROTOCOL) }),
]);
export type ResidentRequest = z.infer<typeof residentRequest>;

export const residentReply = z.union([
  z.object({ out: z.string() }),
  z.object({ err: z.string() }),
  z.object({ exit: z.number().check(z.int()) }),
  /** Not a command this process serves: the launcher runs it in its own process. */
  z.object({ decline: z.string() }),
  /** Answer to ping and stop: the resident process's pid. */
  z.object({ pid: z.number().check(z.int()) }),
]);
export type ResidentReply = z.infer<typeof residentReply>;

/** Splits a stream of text into lines, keeping the unfinished rest for the next chunk. */
export class LineReader {
  private rest = '';

  push(chunk: string): string[] {
    const parts = (this.rest + chunk).split('\n');
    this.rest = parts.pop() ?? '';
    return parts.filter((line) => line !== '');
  }
}

/** Parses one line as a message of `schema`, or null for a line that is not JSON or not such a message. */
export function parseLine<T>(line: string, schema: z.ZodMiniType<T>): T | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
