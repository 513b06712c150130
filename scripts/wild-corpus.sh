#!/usr/bin/env bash
# Assembles the wild corpus (issue 10) under $SOURCELINE_WILD (default ~/.cache/sourceline-wild):
#   debian/NAME     Debian source packages pinned in bench/wild/debian.txt (apt-get source; root, deb-src)
#   large/NAME      large public repositories pinned in bench/wild/large.txt, from bare mirrors already
#                   on this machine (/work/.mirror/OWNER+NAME/repo); a missing mirror is reported, not fetched
#   combined/       one tree of all of the above together (hard links), for the memory figure at ~50k files
# npm packages need no step: the bench indexes node_modules/* in place (pinned by package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${SOURCELINE_WILD:-$HOME/.cache/sourceline-wild}
mirrors=${SOURCELINE_MIRRORS:-/work/.mirror}
mkdir -p "$out/debian" "$out/large" "$out/downloads"

scripts/debian-sources.sh bench/wild/debian.txt "$out/debian"

missing=()
while read -r repo commit; do
  [[ -z "$repo" || "$repo" == \#* ]] && continue
  name=${repo#*/}
  [[ -d "$out/large/$name" ]] && continue
  mirror="$mirrors/${repo/\//+}/repo"
  if [[ ! -d "$mirror" ]]; then
    missing+=("$repo")
    continue
  fi
  mkdir -p "$out/large/$name.part"
  git --git-dir="$mirror" archive "$commit" | tar -x -C "$out/large/$name.part"
  mv "$out/large/$name.part" "$out/large/$name"
done < bench/wild/large.txt

# The large repositories, then Debian trees in list order, until the tree holds 50,000 files.
if [[ ! -d "$out/combined" ]]; then
  rm -rf "$out/combined.part"
  mkdir -p "$out/combined.part"
  files=0
  for dir in "$out"/large/* $(sed -e 's/[=#].*//' -e '/^ *$/d' bench/wild/debian.txt | sed "s|^|$out/debian/|"); do
    (( files >= 50000 )) && break
    [[ -d "$dir" ]] || continue
    cp -al "$dir" "$out/combined.part/$(basename "$(dirname "$dir")")-$(basename "$dir")"
    files=$(( files + $(find "$dir" -type f | wc -l) ))
  done
  mv "$out/combined.part" "$out/combined"
fi

echo "wild corpus: $out ($(ls "$out/debian" | wc -l) Debian packages, $(ls "$out/large" | wc -l) large repositories)"
for repo in "${missing[@]}"; do echo "not on this machine: $repo — bring it with the search tool's fetch github:$repo, then run this again" >&2; done
