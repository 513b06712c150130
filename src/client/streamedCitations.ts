import { splitMentions, type TextPiece } from '../shared/citationGrammar';

/**
 * Streamed answer text cut into what can be shown now and what must wait: a citation split across
 * two pieces (`[1` + `2]`, `src/a.t` + `s:4-9`) is held back until it is whole, so it becomes an
 * anchor, not text. No VS Code here (unit-tested); the participant turns pieces into stream parts.
 */
export class StreamedCitations {
  private pending = '';

  /** The pieces that are complete after `text` arrived. */
  push(text: string): TextPiece[] {
    this.pending += text;
    const cut = safeCut(this.pending);
    const ready = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    return ready === '' ? [] : splitMentions(ready);
  }

  /** Everything left, at the end of the answer. */
  flush(): TextPiece[] {
    const rest = this.pending;
    this.pending = '';
    return rest === '' ? [] : splitMentions(rest);
  }
}

/** Up to where the text cannot change meaning if more arrives: before an open `[` and before the last word (a path may continue). */
function safeCut(text: string): number {
  const open = text.lastIndexOf('[');
  const held = open >= 0 && !text.slice(open).includes(']') && text.length - open <= 40 ? open : text.length;
  const lastSpace = Math.max(text.lastIndexOf(' '), text.lastIndexOf('\n'), text.lastIndexOf('\t'));
  return Math.min(held, lastSpace + 1);
}
