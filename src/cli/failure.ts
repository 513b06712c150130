import { describe, isSourcelineError } from '../shared/errors';
import type { CliOutput } from './output';

/** A failed command's message on stderr and its exit code: 2 for bad arguments, 1 for anything else. */
export function reportFailure(error: unknown, output: CliOutput): number {
  if (isSourcelineError(error)) {
    output.err(`sourceline: ${error.message}\n`);
    return error.code === 'bad-arguments' ? 2 : 1;
  }
  output.err(`sourceline: unexpected error: ${describe(error)}\n`);
  if (error instanceof Error && error.stack !== undefined && process.env['SOURCELINE_DEBUG'] !== undefined) output.err(`${error.stack}\n`);
  return 1;
}
