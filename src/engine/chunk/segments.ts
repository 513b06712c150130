import type { Chunk, ChunkKind } from '../types';

/** Size limits for chunks. Lines are what users read and cite; characters bound embedding cost. */
export interface ChunkLimits {
  readonly maxLines: number;
  readonly maxChars: number;
  /** Neighbours shorter than this are merged while the result stays within `windowLines`. */
  readonly minLines: number;
  readonly windowLines: number;
  readonly overlapLines: number;
}

export const DEFAULT_LIMITS: ChunkLimits = { maxLines: 80, maxChars: 4000, minLines: 8, windowLines: 50, overlapLines: 5 };

/** A chunk before it gets its text: 0-based inclusive rows of the file. */
export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly kind: ChunkKind;
  readonly symbols: readonly string[];
  /** Signatures of enclosing scopes, outermost first. */
  readonly scopes: readonly string[];
  readonly signature: string;
}

/**
 * A file's lines with prefix sums of their lengths, so the character count of any row range is
 * O(1): chunking asks it for every candidate unit and window, and a linear count made long files
 * quadratic.
 */
export class Rows {
  private readonly ends: Float64Array;

  constructor(readonly lines: readonly string[]) {
    this.ends = new Float64Array(lines.length + 1);
    for (let i = 0; i < lines.length; i++) this.ends[i + 1] = (this.ends[i] ?? 0) + (lines[i]?.length ?? 0) + 1;
  }

  get length(): number {
    return this.lines.length;
  }

  line(row: number): string | undefined {
    return this.lines[row];
  }

  /** Characters in rows [start, end], a newline counted per row; 0 for an empty range. */
  charsIn(start: number, end: number): number {
    const a = Math.max(0, start);
    const b = Math.min(this.lines.length - 1, end);
    return b < a ? 0 : (this.ends[b + 1] ?? 0) - (this.ends[a] ?? 0);
  }
}

export function isBlank(line: string | undefined): boolean {
  return line === undefined || line.trim() === '';
}

const WORD = /[\p{L}\p{N}]/u;

function hasWords(rows: Rows, start: number, end: number): boolean {
  for (let i = start; i <= end; i++) if (WORD.test(rows.line(i) ?? '')) return true;
  return false;
}

/**
 * Splits rows [start, end] into overlapping windows; a big unit is split, never dropped. Every step
 * moves `from` forward by at least one row, so it ends after at most `end - start + 1` windows.
 */
export function windows(start: number, end: number, limits: ChunkLimits, rows: Rows): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = start;
  while (from <= end) {
    let to = Math.min(end, from + Math.max(1, limits.windowLines) - 1);
    // Long lines: drop rows from the end until the window fits the character budget (at least one line).
    while (to > from && rows.charsIn(from, to) > limits.maxChars) to--;
    out.push([from, to]);
    if (to >= end) break;
    // Overlap at most half the window, so windows shrunk by long lines do not repeat each line many times.
    from = to + 1 - Math.min(limits.overlapLines, Math.floor((to - from) / 2));
  }
  return out;
}

/**
 * Rows of [start, end] not covered by `covered`, as segments built by `make`.
 * Blank edges are trimmed and runs with no words at all (a lone `}`) are dropped.
 */
export function fillGaps(
  covered: readonly Segment[],
  start: number,
  end: number,
  rows: Rows,
  limits: ChunkLimits,
  make: (from: number, to: number) => Segment,
): Segment[] {
  const taken = new Uint8Array(Math.max(0, end - start + 1));
  for (const s of covered) {
    for (let r = Math.max(s.start, start); r <= Math.min(s.end, end); r++) taken[r - start] = 1;
  }
  const out: Segment[] = [];
  let r = start;
  while (r <= end) {
    if (taken[r - start] === 1) {
      r++;
      continue;
    }
    let runEnd = r;
    while (runEnd + 1 <= end && taken[runEnd + 1 - start] !== 1) runEnd++;
    let a = r;
    let b = runEnd;
    while (a <= b && isBlank(rows.line(a))) a++;
    while (b >= a && isBlank(rows.line(b))) b--;
    if (a <= b && hasWords(rows, a, b)) for (const [from, to] of windows(a, b, limits, rows)) out.push(make(from, to));
    r = runEnd + 1;
  }
  return out;
}

/** Merges runs of tiny neighbours in the same scope, so a file of one-line getters is not fifty chunks. */
export function mergeTiny(sorted: readonly Segment[], limits: ChunkLimits): Segment[] {
  const out: Segment[] = [];
  // A run of merged tiny segments keeps absorbing tiny neighbours until it reaches the window size.
  let lastIsRun = false;
  const tiny = (s: Segment): boolean => s.end - s.start + 1 < limits.minLines;
  for (const seg of sorted) {
    const last = out[out.length - 1];
    if (
      last !== undefined &&
      (tiny(last) || lastIsRun) &&
      tiny(seg) &&
      seg.start > last.end &&
      seg.start - last.end <= 2 &&
      seg.end - last.start + 1 <= limits.windowLines &&
      last.scopes.join('\n') === seg.scopes.join('\n')
    ) {
      out[out.length - 1] = {
        start: last.start,
        end: seg.end,
        kind: last.kind === seg.kind ? last.kind : 'block',
        symbols: [...last.symbols, ...seg.symbols],
        scopes: last.scopes,
        signature: [last.signature, seg.signature].filter((x) => x !== '').join('\n'),
      };
      lastIsRun = true;
    } else {
      out.push(seg);
      lastIsRun = false;
    }
  }
  return out;
}

/** Turns segments into chunks with text and the context header that is embedded and searched. */
export function toChunks(segments: readonly Segment[], lines: readonly string[], relPath: string): Chunk[] {
  const sorted = [...segments].sort((a, b) => a.start - b.start || a.end - b.end);
  return sorted.map((s) => ({
    startLine: s.start + 1,
    endLine: s.end + 1,
    kind: s.kind,
    symbol: [...new Set(s.symbols.filter((x) => x !== ''))].join(', '),
    context: [relPath, ...s.scopes, s.signature].filter((x) => x !== '').join('\n'),
    text: lines.slice(s.start, s.end + 1).join('\n'),
  }));
}
