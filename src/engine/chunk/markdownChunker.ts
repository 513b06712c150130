import { fillGaps, isBlank, type ChunkLimits, type Rows, type Segment, windows } from './segments';

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

/** Markdown is chunked by sections; the heading path ("Install > Offline") is the section's context. */
export function markdownSegments(rows: Rows, limits: ChunkLimits): Segment[] {
  const { lines } = rows;
  const headings: Array<{ row: number; level: number; title: string }> = [];
  let inFence = false;
  lines.forEach((line, row) => {
    if (FENCE.test(line)) inFence = !inFence;
    const m = inFence ? null : HEADING.exec(line);
    if (m !== null) headings.push({ row, level: m[1]?.length ?? 1, title: m[2] ?? '' });
  });
  const out: Segment[] = [];
  const trail: Array<{ level: number; title: string }> = [];
  headings.forEach((h, i) => {
    while (trail.length > 0 && (trail[trail.length - 1]?.level ?? 0) >= h.level) trail.pop();
    const scopes = trail.map((t) => `${'#'.repeat(t.level)} ${t.title}`);
    trail.push({ level: h.level, title: h.title });
    let end = (headings[i + 1]?.row ?? lines.length) - 1;
    while (end > h.row && isBlank(lines[end])) end--;
    for (const [a, b] of windows(h.row, end, limits, rows)) {
      out.push({ start: a, end: b, kind: 'section', symbols: [h.title], scopes, signature: `${'#'.repeat(h.level)} ${h.title}` });
    }
  });
  // Text before the first heading.
  const preamble = fillGaps(out, 0, (headings[0]?.row ?? lines.length) - 1, rows, limits, (a, b) => ({
    start: a, end: b, kind: 'section', symbols: [], scopes: [], signature: '',
  }));
  return [...preamble, ...out];
}

/** Everything without a grammar: overlapping line windows. */
export function lineSegments(rows: Rows, limits: ChunkLimits): Segment[] {
  return fillGaps([], 0, rows.length - 1, rows, limits, (a, b) => ({
    start: a, end: b, kind: 'window', symbols: [], scopes: [], signature: '',
  }));
}
