/** Character classes by char code, for the passes that count without building strings or arrays. */
export const SPACE = 1;
export const WORD = 2;
export const DIGIT = 4;

/** Classes of the ASCII codes: `\s` is SPACE, `[A-Za-z_]` WORD, `[0-9]` WORD and DIGIT. */
export const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/\s/.test(ch)) ASCII_CLASS[c] = SPACE;
  else if (/[0-9]/.test(ch)) ASCII_CLASS[c] = WORD | DIGIT;
  else if (/[A-Za-z_]/.test(ch)) ASCII_CLASS[c] = WORD;
}

const UNICODE_WORD = /^[\p{L}\p{N}]$/u;

/** Whether a surrogate pair starts at `i`. */
export function pairAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
}

/** Whether the code point `ch` (one code unit, or a surrogate pair) is a letter or number (`[\p{L}\p{N}]`). */
export function isUnicodeWord(ch: string): boolean {
  return UNICODE_WORD.test(ch);
}

/** Code units of the word character (`[\p{L}\p{N}_]`) at `i`, or 0 if none starts there. */
export function wordUnitsAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return ((ASCII_CLASS[c] ?? 0) & WORD) === 0 ? 0 : 1;
  return unicodeWordUnits(text, i);
}

/** Code units of the letter or number (one code unit, or a surrogate pair) at `i`, or 0. */
function unicodeWordUnits(text: string, i: number): number {
  const units = pairAt(text, i) ? 2 : 1;
  return isUnicodeWord(text.slice(i, i + units)) ? units : 0;
}

/** `[A-Za-z0-9_$]`: ASCII_CLASS's word characters and `$`, the ASCII characters of identifiers.ts's WORD. */
const ASCII_WORD_OR_DOLLAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD_OR_DOLLAR[c] = ((ASCII_CLASS[c] ?? 0) & WORD) !== 0 || c === 0x24 ? 1 : 0;

/** As wordUnitsAt, with `$` a word character too: identifiers.ts's WORD (`[\p{L}\p{N}_$]`, by code point). */
export function wordOrDollarUnitsAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 128 ? (ASCII_WORD_OR_DOLLAR[c] ?? 0) : unicodeWordUnits(text, i);
}
