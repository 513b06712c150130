import { readFileSync } from 'node:fs';
import { identifierParts, WORD } from '../text/identifiers';

/** Words looked up by scanning the vocabulary before its map is built. */
const SCANNED_LOOKUPS = 64;
/** Distinct words whose token ids are kept; cleared when full. */
const IDS_SEEN_MAX = 100_000;

/**
 * The built-in model's tokenizer: the engine's identifier-aware `words()`, looked up in the model's
 * vocabulary, counted, most frequent first, at most `maxTokens` (as the trainer saw them).
 */
export class StaticTokenizer {
  /**
   * Each word's token ids (its lower-cased self, then its parts, as words() gives them): code repeats
   * its identifiers, and lower-casing and splitting each occurrence was most of an embedding's time.
   */
  private readonly idsSeen = new Map<string, readonly number[]>();

  /** Token → id, built once enough words have been looked up to repay it (~15 ms for 100k tokens). */
  private vocab: ReadonlyMap<string, number> | null = null;
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

  tokenize(text: string): Array<[number, number]> {
    const counts = new Map<number, number>();
    const pattern = new RegExp(WORD.source, WORD.flags);
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      for (const id of this.idsOf(m[0])) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1]).slice(0, this.maxTokens);
  }

  private idsOf(word: string): readonly number[] {
    const known = this.idsSeen.get(word);
    if (known !== undefined) return known;
    const ids: number[] = [];
    for (const w of [word.toLowerCase(), ...identifierParts(word)]) {
      const id = this.idOf(w);
      if (id !== undefined) ids.push(id);
    }
    if (this.idsSeen.size >= IDS_SEEN_MAX) this.idsSeen.clear();
    this.idsSeen.set(word, ids);
    return ids;
  }
}
