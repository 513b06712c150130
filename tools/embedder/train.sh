#!/usr/bin/env bash
# npm run train:embedder — rebuilds the training corpus from pinned sources (npm packages, Debian's
# standard-library and source packages, pinned repositories with history), mines pairs, trains with a
# fixed seed, exports ONNX to models/sourceline-code-v2 and measures it on the dev benchmarks (never on
# data reserved for independent evaluation). About 50 minutes on 2 cores.
# PREVIOUS=<model folder> also measures that model on the same held-out pairs (per language and kind).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3   # Debian's Python: the one python3-torch and python3-onnx install into
need=()
"$PY" -c 'import torch, onnx, numpy' 2>/dev/null || need+=(python3-torch python3-onnx python3-numpy)
# Go, Rust and Java standard-library sources from Debian (mine.ts leaves out any that are missing).
[ -d /usr/share/go-1.19/src ] || need+=(golang-1.19-src)
[ -d /usr/lib/rustlib/src/rust/library ] || need+=(rust-src)
ls /usr/lib/jvm/java-17-openjdk-*/lib/src.zip >/dev/null 2>&1 || need+=(openjdk-17-source)
command -v unzip >/dev/null || need+=(unzip)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
  else
    echo "train:embedder needs Debian packages: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
fi
# Debian source packages (tools/embedder/debian.txt; needs root once for deb-src). The pinned
# repositories of tools/embedder/repos.json must be on the machine as mirrors (SOURCELINE_MIRRORS):
# mine.ts names any that is missing and goes on without it.
scripts/debian-sources.sh tools/embedder/debian.txt .cache/embedder/debian
node scripts/build.mjs
node --max-old-space-size=16000 dist/tools/mine.js
"$PY" tools/embedder/train.py --out models/sourceline-code-v2 --epochs "${EPOCHS:-2}" --batch "${BATCH:-1024}" --minutes "${MINUTES:-35}" --seed 7 ${PREVIOUS:+--compare "$PREVIOUS"}
# Fusion: the vector weight is chosen on the dev benchmarks (bench/dev/README.md); --write-fusion refuses
# a weight that puts hybrid below lexical on any set.
node dist/bench/dev.js --no-baselines --fusion "cc:${VECTOR_WEIGHT:-0.3}" --write-fusion
node dist/bench/quality.js
