/**
 * Coded errors: bugs and environment problems that cross a boundary (CLI exit, LSP ResponseError,
 * a toast). Expected outcomes (a skipped file, an unavailable model) are values, not errors.
 * Every message says what happened and what to do next.
 */
export type ErrorCode =
  | 'native-module'
  | 'index-corrupt'
  | 'index-newer'
  | 'root-missing'
  | 'bad-arguments'
  | 'db-unwritable'
  | 'model-missing'
  | 'model-failed'
  | 'cancelled';

export class SourcelineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly causeDetail?: string,
  ) {
    super(message);
    this.name = 'SourcelineError';
  }
}

export function createError(code: ErrorCode, message: string, cause?: unknown): SourcelineError {
  return new SourcelineError(code, message, cause === undefined ? undefined : describe(cause));
}

export function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export function isSourcelineError(error: unknown, code?: ErrorCode): error is SourcelineError {
  return error instanceof SourcelineError && (code === undefined || error.code === code);
}

/** `code` of a Node or SQLite error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
