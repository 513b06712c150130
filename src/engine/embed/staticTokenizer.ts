import { readFileSync } from 'node:fs';
import { identifierParts, WORD } from '../text/identifiers';

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

  private constructor(private readonly vocab: ReadonlyMap<string, number>, private readonly maxTokens: number) {}

  /** Reads the vocabulary (a JSON list of tokens, id = position); throws when the file is not one. */
  static load(vocabFile: string, maxTokens: number): StaticTokenizer {
    const list: unknown = JSON.parse(readFileSync(vocabFile, 'utf8'));
    if (!Array.isArray(list)) throw new Error(`${vocabFile} is not a list of tokens`);
    const vocab = new Map<string, number>();
    for (let i = 0; i < list.length; i++) vocab.set(String(list[i]), i);
    return new StaticTokenizer(vocab, maxTokens);
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
      const id = this.vocab.get(w);
      if (id !== undefined) ids.push(id);
    }
    if (this.idsSeen.size >= IDS_SEEN_MAX) this.idsSeen.clear();
    this.idsSeen.set(word, ids);
    return ids;
  }
}
