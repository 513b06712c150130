import { words } from '../text/identifiers';

export interface Snippet {
  readonly text: string;
  /** 1-based file line of the snippet's first line. */
  readonly startLine: number;
}

/**
 * The few lines of a chunk that best show why it matched: the window with the most query words,
 * so a 60-line function shows the lines that matter rather than its first ones.
 */
export function bestSnippet(chunkText: string, chunkStartLine: number, query: string, maxLines = 8): Snippet {
  const lines = chunkText.split('\n');
  if (lines.length <= maxLines) return { text: chunkText, startLine: chunkStartLine };
  const wanted = new Set(words(query));
  const scores = lines.map((line) => words(line).filter((w) => wanted.has(w)).length);
  let best = 0;
  let bestScore = -1;
  let window = 0;
  for (let i = 0; i < lines.length; i++) {
    window += scores[i] ?? 0;
    if (i >= maxLines) window -= scores[i - maxLines] ?? 0;
    const start = Math.max(0, i - maxLines + 1);
    if (i >= maxLines - 1 && window > bestScore) {
      bestScore = window;
      best = start;
    }
  }
  return { text: lines.slice(best, best + maxLines).join('\n'), startLine: chunkStartLine + best };
}
