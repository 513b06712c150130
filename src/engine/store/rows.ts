import { isRecord } from '../../shared/guards';

/** better-sqlite3 returns rows as `unknown`; this narrows one to a record without trusting its shape (no copy: rows are read on every search). */
export function rowOf(value: unknown): Readonly<Record<string, unknown>> {
  return isRecord(value) ? value : {};
}
