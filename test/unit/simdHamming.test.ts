import { describe, expect, it } from 'vitest';
import { SimdHamming, simdWidth } from '../../src/engine/retrieve/simdHamming';
import { popcount } from '../../src/engine/store/bitBlocks';

/** A reproducible byte stream (xorshift), so a failure can be run again. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function reference(vectors: Uint8Array, query: Uint8Array, width: number): number[] {
  const out: number[] = [];
  for (let v = 0; v < vectors.length / width; v++) {
    let d = 0;
    for (let j = 0; j < width; j++) d += popcount((vectors[v * width + j] ?? 0) ^ (query[j] ?? 0));
    out.push(d);
  }
  return out;
}

describe('SimdHamming', () => {
  it('gives the same distances and histogram as a byte-wise popcount, for every width it takes', () => {
    const kernel = SimdHamming.create();
    // Node 20 runs WebAssembly SIMD: the fast path must be the one tested here.
    expect(kernel).not.toBeNull();
    for (const width of [16, 32, 48, 96, 496]) {
      expect(simdWidth(width)).toBe(true);
      // Split across parts as blocks are, and over a page of memory, so it has to grow.
      const parts = [bytes(width * 700, width), bytes(width * 3, width + 1), bytes(width * 1500, width + 2)];
      const query = bytes(width, 99);
      kernel?.load(parts, width);
      const result = kernel?.distances(query);
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      const expected = reference(all, query, width);
      expect([...(result?.distance ?? [])]).toEqual(expected);
      const histogram = new Array<number>(width * 8 + 1).fill(0);
      for (const d of expected) histogram[d] = (histogram[d] ?? 0) + 1;
      expect([...(result?.histogram ?? [])]).toEqual(histogram);
    }
  });

  it('lays out fewer vectors again in the memory it has (an index that shrank), and a query of all ones and zeros', () => {
    const kernel = SimdHamming.create();
    kernel?.load([bytes(32 * 5000, 7)], 32);
    kernel?.load([new Uint8Array(32).fill(0xff), new Uint8Array(32)], 32);
    expect([...(kernel?.distances(new Uint8Array(32)).distance ?? [])]).toEqual([256, 0]);
  });

  it('refuses widths that are not whole 16-byte lanes or would overflow a lane', () => {
    for (const width of [0, 8, 24, 512]) expect(simdWidth(width)).toBe(false);
  });
});
