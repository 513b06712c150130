import { readFileSync } from 'node:fs';
import { words } from '../text/identifiers';

/**
 * The built-in model's tokenizer: the engine's identifier-aware `words()`, looked up in the model's
 * vocabulary, counted, most frequent first, at most `maxTokens` (as the trainer saw them). The
 * vocabulary is read when first needed, once per file and thread: a command that embeds nothing
 * never pays for it.
 */
export interface TokenizerSpec {
  readonly kind: 'static-words-v1';
  readonly vocabFile: string;
  readonly maxTokens: number;
}

export class StaticTokenizer {
  private static readonly loaded = new Map<string, StaticTokenizer>();

  private constructor(private readonly vocab: ReadonlyMap<string, number>, private readonly maxTokens: number) {}

  /** One tokenizer per vocabulary file and thread; throws when the file is not a JSON list of tokens. */
  static of(spec: TokenizerSpec): StaticTokenizer {
    const key = `${spec.vocabFile}\n${spec.maxTokens}`;
    let t = StaticTokenizer.loaded.get(key);
    if (t === undefined) {
      const list: unknown = JSON.parse(readFileSync(spec.vocabFile, 'utf8'));
      if (!Array.isArray(list)) throw new Error(`${spec.vocabFile} is not a list of tokens`);
      const vocab = new Map<string, number>();
      for (let i = 0; i < list.length; i++) vocab.set(String(list[i]), i);
      t = new StaticTokenizer(vocab, spec.maxTokens);
      StaticTokenizer.loaded.set(key, t);
    }
    return t;
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
