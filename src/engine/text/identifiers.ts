/**
 * Identifier-aware text: `parseHTTPResponse` ~ "parse http response", `get_user_by_id` ~ "get user by id".
 * Used on both sides of lexical search (what is indexed and what is asked) and by embedders.
 */
import { ownCopy } from './ownCopy';

export const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]*/g;
/** A word of any text (words() lower-cases it and adds its parts). */
export const WORD = /[\p{L}\p{N}_$]+/gu;

/** A word part boundary (a case change, letters then digits, `_` or `$`): without one, a word has no parts. */
const PART_BOUNDARY = /[a-z0-9][A-Z]|[A-Z][A-Z][a-z]|[A-Za-z][0-9]|[_$]/;

/**
 * Parts of words seen recently: indexing splits the same identifiers over and over (it was the
 * indexer's hottest function). Bounded: cleared when full; keyed by own copies (ownCopy.ts).
 */
const partsSeen = new Map<string, readonly string[]>();
const PARTS_SEEN_MAX = 50_000;

/** Splits an identifier into lowercase words; returns [] for a plain single word. */
export function identifierParts(identifier: string): readonly string[] {
  if (!PART_BOUNDARY.test(identifier)) return [];
  const known = partsSeen.get(identifier);
  if (known !== undefined) return known;
  if (partsSeen.size >= PARTS_SEEN_MAX) partsSeen.clear();
  const parts = splitParts(identifier);
  partsSeen.set(ownCopy(identifier), parts);
  return parts;
}

function splitParts(identifier: string): string[] {
  const parts = identifier
    .replace(/\$/g, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .split(/[\s_]+/)
    .filter((p) => p !== '')
    .map((p) => p.toLowerCase());
  return parts.length > 1 ? parts : [];
}

/** The text with each compound identifier followed by its parts, for the FTS index. */
export function expandIdentifiers(text: string): string {
  return text.replace(IDENTIFIER, (id) => {
    const parts = identifierParts(id);
    return parts.length === 0 ? id : `${id} ${parts.join(' ')}`;
  });
}

/** Lowercase words of any text, with compound identifiers also split into their parts. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    out.push(word.toLowerCase());
    for (const part of identifierParts(word)) out.push(part);
  }
  return out;
}

/** Does the token look like a code identifier rather than an English word? */
export function isCodeIdentifier(token: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(token) && (identifierParts(token).length > 0 || /[_$]/.test(token));
}

export const STOPWORDS: ReadonlySet<string> = new Set(
  ('a an and are as at be by can could did do does for from had has have how i if in into is it its ' +
    'me my of on or our should so that the their them then there these this those to was we were what ' +
    'when where which who whom why will with would you your code file files function functions method ' +
    'implemented implement defined define happens')
    .split(' '),
);

/** Stops at a plural's stem ("options" → "option"), so words meet file names either way. */
export function wordStem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}
