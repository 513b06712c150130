/** better-sqlite3 returns rows as `unknown`; this narrows one to a record without trusting its shape. */
export function rowOf(value: unknown): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value));
}
