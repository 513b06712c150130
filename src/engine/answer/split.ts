import { narrowToSymbol } from '../retrieve/narrow';
import { words } from '../text/identifiers';

export interface Part {
  readonly startLine: number;
  readonly endLine: number;
  readonly symbol: string;
  readonly text: string;
}

/**
 * Small neighbouring definitions are merged into one chunk for retrieval; a citation should still
 * name the definition's own lines. A merged chunk becomes one part per definition — the part whose
 * name the question mentions most first — but only when the parts cover every non-blank line, so
 * nothing the chunk held is lost. Anything else stays whole.
 */
export function splitMerged(chunk: Part, question: string): Part[] {
  const symbols = chunk.symbol.split(/,\s*/).filter((s) => s !== '');
  if (symbols.length < 2) return [chunk];
  const lines = chunk.text.split('\n');
  const ranges = symbols.map((symbol) => ({ symbol, ...narrowToSymbol(chunk.text, chunk.startLine, symbols, symbol) })).sort((a, b) => a.startLine - b.startLine);
  const covered = new Set<number>();
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i];
    const next = ranges[i + 1];
    if (r === undefined || (next !== undefined && r.endLine >= next.startLine)) return [chunk];
    for (let line = r.startLine; line <= r.endLine; line++) covered.add(line);
  }
  if (lines.some((l, i) => l.trim() !== '' && !covered.has(chunk.startLine + i))) return [chunk];
  const asked = new Set(words(question));
  const mentions = (symbol: string): number => [...new Set(words(symbol))].filter((w) => asked.has(w)).length;
  return ranges
    .map((r, order) => ({ order, score: mentions(r.symbol), part: { startLine: r.startLine, endLine: r.endLine, symbol: r.symbol, text: lines.slice(r.startLine - chunk.startLine, r.endLine - chunk.startLine + 1).join('\n') } }))
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map((x) => x.part);
}
