/** Tokens in a larger share of the documents are left out of a query: they rank little and cost the most. */
const MAX_DOCUMENT_SHARE = 0.05;

/**
 * A small in-memory BM25 over one package's documents (token ids), for hard negatives. Dense arrays
 * throughout: a package of 50k units and 30k queries is scored in seconds, not minutes.
 */
export class Bm25 {
  /** token → [local document index, term frequency] pairs, flattened. */
  private readonly postings = new Map<number, number[]>();
  private readonly ids: Int32Array;
  private readonly norms: Float64Array;
  private readonly scores: Float64Array;
  private readonly n: number;

  constructor(docs: ReadonlyArray<{ readonly id: number; readonly tokens: Int32Array }>) {
    this.n = docs.length;
    this.ids = Int32Array.from(docs.map((d) => d.id));
    this.scores = new Float64Array(this.n);
    const total = docs.reduce((a, d) => a + d.tokens.length, 0);
    const avg = total / Math.max(1, this.n);
    this.norms = Float64Array.from(docs.map((d) => 1.2 * (0.25 + (0.75 * d.tokens.length) / Math.max(1, avg))));
    docs.forEach((d, local) => {
      const counts = new Map<number, number>();
      for (const t of d.tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [t, c] of counts) {
        let list = this.postings.get(t);
        if (list === undefined) {
          list = [];
          this.postings.set(t, list);
        }
        list.push(local, c);
      }
    });
  }

  /** The `k` best documents' ids for a query, best first (ties: lower id first). */
  top(query: Int32Array, k: number): number[] {
    const touched: number[] = [];
    for (const t of new Set(query)) {
      const list = this.postings.get(t);
      if (list === undefined || list.length / 2 > this.n * MAX_DOCUMENT_SHARE) continue;
      const df = list.length / 2;
      const idf = Math.log(1 + (this.n - df + 0.5) / (df + 0.5));
      for (let i = 0; i < list.length; i += 2) {
        const local = list[i] ?? 0;
        const tf = list[i + 1] ?? 0;
        if (this.scores[local] === 0) touched.push(local);
        this.scores[local] = (this.scores[local] ?? 0) + (idf * tf * 2.2) / (tf + (this.norms[local] ?? 1));
      }
    }
    // Keep the k best in a small sorted array instead of sorting every touched document.
    const best: Array<{ id: number; score: number }> = [];
    for (const local of touched) {
      const entry = { id: this.ids[local] ?? 0, score: this.scores[local] ?? 0 };
      this.scores[local] = 0;
      const worse = (a: { id: number; score: number }, b: { id: number; score: number }): boolean => a.score < b.score || (a.score === b.score && a.id > b.id);
      if (best.length === k && !worse(best[k - 1] ?? entry, entry)) continue;
      let at = best.length;
      while (at > 0 && worse(best[at - 1] ?? entry, entry)) at--;
      best.splice(at, 0, entry);
      if (best.length > k) best.pop();
    }
    return best.map((b) => b.id);
  }
}
