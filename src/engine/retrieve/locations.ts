import type BetterSqlite3 from 'better-sqlite3';

/**
 * Chunks at the lines a request points to (an issue's stack frames): the code that failed is the
 * likeliest place of the fix, whether or not its words match. A frame's path may be absolute or from
 * another checkout, so it matches the indexed file it ends with — when exactly one file does.
 */
export function chunksAtLocations(db: BetterSqlite3.Database, locations: ReadonlyArray<{ readonly path: string; readonly line: number }>): Map<number, string> {
  const out = new Map<number, string>();
  if (locations.length === 0) return out;
  const files = db.prepare(`SELECT id FROM files WHERE status = 'indexed'
    AND (path = @p OR @p LIKE '%/' || path OR (instr(@p, '/') > 0 AND path LIKE '%/' || @p)) LIMIT 2`).pluck();
  const at = db.prepare('SELECT id FROM chunks WHERE file_id = ? AND start_line <= ? AND end_line >= ? ORDER BY end_line - start_line LIMIT 1').pluck();
  for (const { path, line } of locations) {
    const ids = files.all({ p: path });
    if (ids.length !== 1) continue;
    const chunk = at.get(ids[0], line, line);
    if (chunk !== undefined) out.set(Number(chunk), `${path}:${line}`);
  }
  return out;
}
