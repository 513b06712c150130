/** Narrowing helpers for values that cross a boundary as `unknown` (JSON, wire messages). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
