/** Chip labels: each path shortened to its last segments, as few as tell it apart from the other paths given. */
export function shortNames(paths: readonly string[]): Map<string, string> {
  const unique = [...new Set(paths)];
  const parts = new Map(unique.map((p) => [p, p.split('/')]));
  const out = new Map<string, string>();
  for (const p of unique) {
    const mine = parts.get(p) ?? [p];
    let take = 1;
    const tail = (segments: readonly string[], n: number): string => segments.slice(-n).join('/');
    while (take < mine.length && unique.some((q) => q !== p && tail(parts.get(q) ?? [q], take) === tail(mine, take))) take++;
    out.set(p, tail(mine, take));
  }
  return out;
}
