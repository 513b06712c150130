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

if ! compgen -G '/etc/apt/sources.list.d/*src*' >/dev/null; then
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/debian-src.sources
  apt-get update -qq
fi

missing=()
while read -r spec _; do
  [[ -z "$spec" || "$spec" == \#* ]] && continue
  name=${spec%%=*}
  [[ -d "$out/debian/$name" ]] && continue
  dsc="$out/downloads/${name}_${spec#*=}.dsc"
  dsc=${dsc/_[0-9]:/_}  # an epoch (1:) is not part of the file name
  if (cd "$out/downloads" && apt-get source -qq --download-only "$spec" >/dev/null 2>&1) && [[ -f "$dsc" ]]; then
    rm -rf "$out/debian/$name.part"
    dpkg-source -x --no-check "$dsc" "$out/debian/$name.part" >/dev/null
    mv "$out/debian/$name.part" "$out/debian/$name"
    rm -f "$out"/debian/*.tar.* "$out"/debian/*.dsc  # copies dpkg-source leaves beside the tree
  else
    echo "could not download the Debian source package $spec" >&2
  fi
done < bench/wild/debian.txt

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
