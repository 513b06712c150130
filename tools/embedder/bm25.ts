/** A small in-memory BM25 over one package's documents (token ids), for hard negatives. */
export class Bm25 {
  private readonly postings = new Map<number, Array<[number, number]>>();
  private readonly lengths = new Map<number, number>();
  private readonly avg: number;
  private readonly n: number;

  constructor(docs: ReadonlyArray<{ readonly id: number; readonly tokens: Int32Array }>) {
    let total = 0;
    for (const d of docs) {
      const counts = new Map<number, number>();
      for (const t of d.tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [t, c] of counts) {
        const list = this.postings.get(t) ?? [];
        list.push([d.id, c]);
        this.postings.set(t, list);
      }
      this.lengths.set(d.id, d.tokens.length);
      total += d.tokens.length;
    }
    this.avg = total / Math.max(1, docs.length);
    this.n = docs.length;
  }

  top(query: Int32Array, k: number): number[] {
    const scores = new Map<number, number>();
    for (const t of new Set(query)) {
      const list = this.postings.get(t);
      // Tokens in nearly every document rank nothing and cost the most.
      if (list === undefined || list.length > this.n * 0.3) continue;
      const idf = Math.log(1 + (this.n - list.length + 0.5) / (list.length + 0.5));
      for (const [id, tf] of list) {
        const len = this.lengths.get(id) ?? this.avg;
        const s = (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * len) / this.avg));
        scores.set(id, (scores.get(id) ?? 0) + s);
      }
    }
    return [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k).map(([id]) => id);
  }
}
