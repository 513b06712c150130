;; Hamming distances of packed sign-bit vectors to one query, with WebAssembly SIMD (i8x16.popcnt).
;; Source of the bytes in ../hammingKernel.ts: `node tools/wasm/build.mjs` compiles it again.
(module
  (memory (export "memory") 1)
  ;; hamming(vectors, count, bytes, query, out, histogram)
  ;; `count` vectors of `bytes` bytes each (a multiple of 16, at most 496) from `vectors`; the query's
  ;; `bytes` at `query`. Writes each distance as a u16 at `out` and counts it in the u32 histogram at
  ;; `histogram` (bytes * 8 + 1 entries, zeroed by the caller).
  (func (export "hamming") (param $vec i32) (param $count i32) (param $bytes i32) (param $q i32) (param $out i32) (param $hist i32)
    (local $end i32) (local $i i32) (local $acc v128) (local $d i32) (local $at i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 1))))
    (block $done
      (loop $vector
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $acc (v128.const i64x2 0 0))
        (local.set $i (i32.const 0))
        ;; Bytes of popcounts add up to at most 8 per 16-byte step: 31 steps fit in a byte lane.
        (block $chunked
          (loop $chunk
            (br_if $chunked (i32.ge_u (local.get $i) (local.get $bytes)))
            (local.set $acc
              (i8x16.add (local.get $acc)
                (i8x16.popcnt
                  (v128.xor
                    (v128.load (i32.add (local.get $vec) (local.get $i)))
                    (v128.load (i32.add (local.get $q) (local.get $i)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $chunk)))
        (local.set $acc (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $acc))))
        (local.set $d
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
        (i32.store16 (local.get $out) (local.get $d))
        (local.set $at (i32.add (local.get $hist) (i32.shl (local.get $d) (i32.const 2))))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $vec (i32.add (local.get $vec) (local.get $bytes)))
        (local.set $out (i32.add (local.get $out) (i32.const 2)))
        (br $vector))))
)
