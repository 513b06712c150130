#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, outside the repository: Debian's Chromium and ripgrep,
# and code-server 4.100.3 (VS Code 1.100 on Node 20) into ~/.cache/sourceline-e2e.
set -euo pipefail
CACHE="${SOURCELINE_E2E_CACHE:-$HOME/.cache/sourceline-e2e}"
CS="$CACHE/code-server"
if ! command -v chromium >/dev/null || ! command -v rg >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium ripgrep libkrb5-dev >/dev/null
  else
    echo "e2e needs Debian's chromium and ripgrep: sudo apt-get install chromium ripgrep libkrb5-dev" >&2
    exit 1
  fi
fi
if [ ! -f "$CS/node_modules/code-server/out/node/entry.js" ]; then
  mkdir -p "$CS"
  cd "$CS"
  [ -f package.json ] || echo '{"name":"sourceline-e2e-code-server","private":true}' > package.json
  # @vscode/ripgrep downloads rg from GitHub at install: seed its cache with Debian's rg instead.
  tmp="${TMPDIR:-/tmp}"
  for v in 1.15.9 1.15.10 1.15.11 1.15.12 1.15.13 1.15.14; do
    mkdir -p "$tmp/vscode-ripgrep-cache-$v"
    tar czf "$tmp/vscode-ripgrep-cache-$v/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  done
  npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund --foreground-scripts code-server@4.100.3 >/dev/null
fi
echo "$CS/node_modules/code-server/out/node/entry.js"
