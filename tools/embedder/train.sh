#!/usr/bin/env bash
# npm run train:embedder — rebuilds the training corpus from pinned package versions, mines pairs,
# trains with a fixed seed, exports ONNX to models/sourceline-code-v1 and measures it on the dev corpus
# (never on held-out data). About 15 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3   # Debian's Python: the one python3-torch and python3-onnx install into
if ! "$PY" -c 'import torch, onnx, numpy' 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch python3-onnx python3-numpy
  else
    echo "train:embedder needs Debian's python3-torch, python3-onnx and python3-numpy:" >&2
    echo "  sudo apt-get install python3-torch python3-onnx python3-numpy" >&2
    exit 1
  fi
fi
# Go, Rust and Java standard-library sources from Debian (mine.ts leaves out any that are missing).
if [ ! -d /usr/share/go-1.19/src ] || [ ! -d /usr/lib/rustlib/src/rust/library ] || ! ls /usr/lib/jvm/java-17-openjdk-*/lib/src.zip >/dev/null 2>&1 || ! command -v unzip >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q golang-1.19-src rust-src openjdk-17-source unzip
  else
    echo "train:embedder needs the Go, Rust and Java training sources: sudo apt-get install golang-1.19-src rust-src openjdk-17-source unzip" >&2
    exit 1
  fi
fi
node scripts/build.mjs
node dist/tools/mine.js
"$PY" tools/embedder/train.py --out models/sourceline-code-v1 --epochs "${EPOCHS:-12}" --batch "${BATCH:-512}" --minutes "${MINUTES:-30}" --seed 7
# Fusion: the vector weight is chosen on the dev benchmarks (bench/dev/README.md); --write-fusion refuses
# a weight that puts hybrid below lexical on any set. (The learned reranker of tools/reranker, fitted to
# doc → function pairs, lowered hybrid below lexical on all of them; it is kept for experiments.)
node dist/bench/dev.js --no-baselines --fusion "cc:${VECTOR_WEIGHT:-0.3}" --write-fusion
node dist/bench/quality.js
