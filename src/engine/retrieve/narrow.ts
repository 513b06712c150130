/**
 * Tiny neighbouring units are merged into one chunk (better for retrieval), so a chunk can hold
 * several definitions. Where one symbol is meant (the hover's "Defined in"), its own lines are found
 * inside the chunk: from its doc comment to just before the next merged definition.
 */
const DECLARATION = (name: string): RegExp =>
  new RegExp(`(^|[\\s(])(function\\*?|class|interface|type|enum|def|fn|func|struct|trait|impl|const|let|var|val|async\\s+function|async\\s+def)\\s+${name.replace(/\$/g, '\\$')}\\b|^\\s*(public |private |protected |static |async |export |readonly )*${name.replace(/\$/g, '\\$')}\\s*[(=:<]`);

const DOC_LINE = /^\s*(\/\/|\/\*\*?|\*|\*\/|#|"""|''')/;

export function narrowToSymbol(text: string, startLine: number, symbols: readonly string[], symbol: string): { startLine: number; endLine: number } {
  const lines = text.split('\n');
  const whole = { startLine, endLine: startLine + lines.length - 1 };
  if (symbols.length < 2) return whole;
  const declAt = (name: string): number => {
    const declaration = DECLARATION(name);
    return lines.findIndex((l) => declaration.test(l));
  };
  const at = declAt(symbol);
  if (at < 0) return whole;
  const nextStarts = symbols.filter((s) => s !== symbol).map(declAt).filter((i) => i > at);
  let end = nextStarts.length === 0 ? lines.length - 1 : Math.min(...nextStarts) - 1;
  // The next definition's doc comment and the blank lines before it are not part of this one.
  while (end > at && (lines[end]?.trim() === '' || (nextStarts.length > 0 && DOC_LINE.test(lines[end] ?? '')))) end--;
  let start = at;
  while (start > 0 && DOC_LINE.test(lines[start - 1] ?? '') && lines[start - 1]?.trim() !== '') start--;
  return { startLine: startLine + start, endLine: startLine + end };
}
