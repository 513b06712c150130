#!/usr/bin/env bash
# Downloads and unpacks the pinned Debian source packages of LIST (lines `NAME=VERSION  # comment`)
# into OUT/NAME, once each; downloads are kept in OUT/../downloads. Needs root for deb-src (added once).
# Used by the wild corpus (bench/wild/debian.txt), the embedder's training corpus
# (tools/embedder/debian.txt) and the scale bench (bench/scale/debian.txt, with --upstream).
# --upstream: only the upstream tarball, as released: Debian's patches can rewrite a project's
# ignore rules (the kernel's .gitignore then ignores everything but debian/).
set -euo pipefail
upstream=false
if [[ ${1:-} == --upstream ]]; then upstream=true; shift; fi
list=$1
out=$2
downloads="$(dirname "$out")/downloads"
mkdir -p "$out" "$downloads"

if ! compgen -G '/etc/apt/sources.list.d/*src*' >/dev/null; then
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/debian-src.sources
  apt-get update -qq
fi

while read -r spec _; do
  [[ -z "$spec" || "$spec" == \#* ]] && continue
  name=${spec%%=*}
  [[ -d "$out/$name" ]] && continue
  dsc="$downloads/${name}_${spec#*=}.dsc"
  dsc=${dsc/_[0-9]:/_}  # an epoch (1:) is not part of the file name
  if (cd "$downloads" && apt-get source -qq --download-only "$spec" >/dev/null 2>&1) && [[ -f "$dsc" ]]; then
    rm -rf "$out/$name.part"
    if $upstream; then
      # The upstream version: no epoch, no Debian revision (1:2.3-4 → 2.3).
      upstream_version=$(sed -E 's/^[0-9]+://; s/-[^-]+$//' <<<"${spec#*=}")
      orig=$(ls "$downloads/${name}_${upstream_version}.orig.tar."* | grep -v '\.asc$' | head -1)
      mkdir -p "$out/$name.part"
      tar -xf "$orig" -C "$out/$name.part" --strip-components=1
    else
      dpkg-source -x --no-check "$dsc" "$out/$name.part" >/dev/null
    fi
    mv "$out/$name.part" "$out/$name"
    rm -f "$out"/*.tar.* "$out"/*.dsc  # copies dpkg-source leaves beside the tree
  else
    echo "could not download the Debian source package $spec" >&2
  fi
done < "$list"
