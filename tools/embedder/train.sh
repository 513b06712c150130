#!/usr/bin/env bash
# npm run train:embedder — rebuilds the training corpus from pinned package versions, mines pairs,
# trains with a fixed seed, exports ONNX to models/sourceline-code-v1, tunes the RRF fallback weights
# on the dev corpus (never on held-out data) and refits the learned fusion. About 15 minutes on 2 cores.
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
node dist/bench/quality.js --tune --write-fusion
# The learned fusion is fitted to this model's vectors: refit it (on packages neither trained on nor dev).
node dist/tools/trainReranker.js --write
