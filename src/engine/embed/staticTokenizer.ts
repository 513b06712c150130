import { readFileSync } from 'node:fs';
import { identifierParts } from '../text/identifiers';
import { wordOrDollarUnitsAt } from '../text/charClass';
import { ownCopy } from '../text/ownCopy';

/** Words looked up by scanning the vocabulary before its map is built. */
const SCANNED_LOOKUPS = 64;
/**
 * Distinct words whose token ids are kept; cleared when full. Each indexing worker holds one: at
 * 100,000 words (~20 MB of heap a thread, with the garbage of refilling it) it was the largest
 * thing a worker kept, for no measured speed over 30,000 (Go tree: 23.2–23.5 s at 100,000, 23.6–23.7 at 30,000).
 */
const IDS_SEEN_MAX = 30_000;
/** A word with no token in the vocabulary, as idsSeen keeps it. */
const NO_IDS: readonly number[] = [];

/**
 * The built-in model's tokenizer: the engine's identifier-aware `words()`, looked up in the model's
 * vocabulary, counted, most frequent first, at most `maxTokens` (as the trainer saw them).
 */
export class StaticTokenizer {
  /**
   * Each word's token ids (its lower-cased self, then its parts, as words() gives them): code repeats
   * its identifiers, and lower-casing and splitting each occurrence was most of an embedding's time.
   */
  private readonly idsSeen = new Map<string, number | readonly number[]>();

  /** Token → id, built once enough words have been looked up to repay it (~15 ms for 100k tokens). */
  private vocab: ReadonlyMap<string, number> | null = null;
  /** Counts by token id while a text is tokenized; all zero between calls. */
  private scratch: Uint32Array | null = null;
  private lookups = 0;

  private constructor(private readonly tokens: readonly string[], private readonly maxTokens: number) {}

  /** Reads the vocabulary (a JSON list of tokens, id = position); throws when the file is not one. */
  static load(vocabFile: string, maxTokens: number): StaticTokenizer {
    const list: unknown = JSON.parse(readFileSync(vocabFile, 'utf8'));
    if (!Array.isArray(list)) throw new Error(`${vocabFile} is not a list of tokens`);
    return new StaticTokenizer(list.map(String), maxTokens);
  }

  /** A token's id (the last position of a repeated token, as a map built in order keeps it). */
  private idOf(word: string): number | undefined {
    // A query's dozen words are found by scanning the list; a document's thousands, by the map.
    if (this.vocab === null && ++this.lookups <= SCANNED_LOOKUPS) {
      const id = this.tokens.lastIndexOf(word);
      return id < 0 ? undefined : id;
    }
    if (this.vocab === null) {
      const vocab = new Map<string, number>();
      this.tokens.forEach((token, id) => vocab.set(token, id));
      this.vocab = vocab;
    }
    return this.vocab.get(word);
  }

  /**
   * The text's (token id, count) pairs, most frequent first, ties in order of first occurrence (as a
   * stable sort of a Map built in text order gives them), at most maxTokens. Counted in a scratch
   * array by id and ordered by bucketing the counts: the Map, its spread and the sort were half of
   * an embedding's tokenizing.
   */
  tokenize(text: string): Array<[number, number]> {
    const counts = (this.scratch ??= new Uint32Array(this.tokens.length));
    const order: number[] = [];
    let most = 0;
    const count = (id: number): void => {
      const n = (counts[id] ?? 0) + 1;
      counts[id] = n;
      if (n === 1) order.push(id);
      if (n > most) most = n;
    };
    try {
      // WORD's matches, found by char code: the regex built a match array for every word.
      for (let i = 0; i < text.length; ) {
        const first = wordOrDollarUnitsAt(text, i);
        if (first === 0) {
          i++;
          continue;
        }
        let end = i + first;
        for (let units = wordOrDollarUnitsAt(text, end); units > 0; units = wordOrDollarUnitsAt(text, end)) end += units;
        const ids = this.idsOf(text.slice(i, end));
        if (typeof ids === 'number') count(ids);
        else for (const id of ids) count(id);
        i = end;
      }
      const byCount: number[][] = [];
      for (const id of order) (byCount[counts[id] ?? 0] ??= []).push(id);
      const out: Array<[number, number]> = [];
      for (let n = most; n > 0 && out.length < this.maxTokens; n--) {
        for (const id of byCount[n] ?? []) {
          if (out.length >= this.maxTokens) break;
          out.push([id, n]);
        }
      }
      return out;
    } finally {
      for (const id of order) counts[id] = 0;
    }
  }

  /** A word's token ids: one id as a number (most words), several as a list (a compound identifier's parts). */
  private idsOf(word: string): number | readonly number[] {
    const known = this.idsSeen.get(word);
    if (known !== undefined) return known;
    const found: number[] = [];
    for (const w of [word.toLowerCase(), ...identifierParts(word)]) {
      const id = this.idOf(w);
      if (id !== undefined) found.push(id);
    }
    const ids = found.length === 0 ? NO_IDS : found.length === 1 ? (found[0] ?? NO_IDS) : found;
    if (this.idsSeen.size >= IDS_SEEN_MAX) this.idsSeen.clear();
    // Its own copy: `word` is a match that may view the whole text it came from (text/ownCopy.ts).
    this.idsSeen.set(ownCopy(word), ids);
    return ids;
  }
}
