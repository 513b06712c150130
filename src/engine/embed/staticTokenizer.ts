import { readFileSync } from 'node:fs';
import { words } from '../text/identifiers';

/**
 * The built-in model's tokenizer: the engine's identifier-aware `words()`, looked up in the model's
 * vocabulary, counted, most frequent first, at most `maxTokens` (as the trainer saw them).
 */
export class StaticTokenizer {
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
    for (const w of words(text)) {
      const id = this.vocab.get(w);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1]).slice(0, this.maxTokens);
  }
}
