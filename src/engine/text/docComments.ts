/** A unit's leading doc comment (or Python docstring) separated from its code. */
export interface DocSplit {
  /** The comment's lines exactly as written. */
  readonly doc: string;
  /** 0-based, inclusive, within the unit's text. */
  readonly docStart: number;
  readonly docEnd: number;
  /** The unit's text without the comment's lines. */
  readonly code: string;
}

const LINE_COMMENT = /^\s*(\/\/\/?|#(?![!\[]|include|define|if|pragma|import))/;

function blockEnd(lines: readonly string[], from: number, closer: string): number {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const at = line.indexOf(closer, i === from ? line.indexOf(closer.slice(0, 1)) + 3 : 0);
    if (at >= 0 && (i > from || line.trim().length > 3)) return i;
  }
  return -1;
}

function split(lines: readonly string[], start: number, end: number): DocSplit {
  return {
    doc: lines.slice(start, end + 1).join('\n'),
    docStart: start,
    docEnd: end,
    code: [...lines.slice(0, start), ...lines.slice(end + 1)].join('\n'),
  };
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[A-Za-z]{2,}/.test(w)).length;
}

/**
 * The doc comment of a unit however short (JSDoc/Javadoc/C# XML/rustdoc/Go/C comments above it, or a
 * Python docstring): what a new docstring replaces.
 */
export function findDocComment(text: string): DocSplit | null {
  const lines = text.split('\n');
  let first = 0;
  while (first < lines.length && (lines[first] ?? '').trim() === '') first++;
  const head = (lines[first] ?? '').trim();
  let found: DocSplit | null = null;
  if (head.startsWith('/*')) {
    const end = head.includes('*/') && head.indexOf('*/') > 1 ? first : blockEnd(lines, first + 1, '*/');
    if (end >= 0) found = split(lines, first, end);
  } else if (LINE_COMMENT.test(head)) {
    let end = first;
    while (end + 1 < lines.length && LINE_COMMENT.test(lines[end + 1] ?? '')) end++;
    found = split(lines, first, end);
  } else {
    // Python: `def`/`class` (possibly after decorators), then a string literal as the first statement.
    const def = lines.findIndex((l, i) => i >= first && i < first + 6 && /^\s*(async\s+)?(def|class)\s/.test(l));
    if (def >= 0) {
      let bodyStart = def;
      while (bodyStart < lines.length && !/:\s*(#.*)?$/.test(lines[bodyStart] ?? '')) bodyStart++;
      let docLine = bodyStart + 1;
      while (docLine < lines.length && (lines[docLine] ?? '').trim() === '') docLine++;
      const m = /^\s*[rRuUbBfF]*("""|''')/.exec(lines[docLine] ?? '');
      if (m !== null) {
        const quote = m[1] ?? '"""';
        const rest = (lines[docLine] ?? '').slice((lines[docLine] ?? '').indexOf(quote) + 3);
        const end = rest.includes(quote) ? docLine : lines.findIndex((l, i) => i > docLine && l.includes(quote));
        if (end >= 0) found = split(lines, docLine, end);
      }
    }
  }
  return found;
}

/** A unit's doc comment when it says something (three words or more) about code that is there. */
export function splitDocComment(text: string): DocSplit | null {
  const found = findDocComment(text);
  if (found === null || wordCount(found.doc) < 3 || found.code.trim() === '') return null;
  return found;
}

/** The prose of a doc comment: markers, tags and markup removed, first two sentences. */
export function docQuery(doc: string): string {
  const prose = doc
    .split('\n')
    .map((l) => l.trim().replace(/^(\/\*\*?|\*\/|\*|\/\/\/?|#|[rubf]*("""|'''))\s?/i, '').replace(/(\*\/|"""|''')$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('@') && !l.startsWith(':param') && !l.startsWith(':return'))
    .join(' ')
    .replace(/<\/?[a-z]+[^>]*>/gi, ' ')
    .replace(/\{@\w+\s+([^}]*)\}/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  const sentences = prose.match(/[^.!?]+[.!?]?/g) ?? [prose];
  return sentences.slice(0, 2).join('').trim().slice(0, 300);
}

/** The first sentence of a unit's doc comment, or null when it has none. */
export function docSummary(text: string): string | null {
  const split = splitDocComment(text);
  if (split === null) return null;
  const first = /^(.+?[.!?])(\s|$)/.exec(docQuery(split.doc))?.[1] ?? docQuery(split.doc);
  if (first === '') return null;
  return first.length > 200 ? `${first.slice(0, 197)}…` : first;
}
