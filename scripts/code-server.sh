#!/usr/bin/env bash
# npm run code-server [-- FOLDER [PORT]]: opens FOLDER (default: this repository) in code-server with
# the extension loaded from this checkout (no .vsix needed). Prints the URL to open in a browser.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FOLDER="$(cd "${1:-$ROOT}" && pwd)"
PORT="${2:-8080}"
ENTRY="$(bash "$ROOT/scripts/e2e-setup.sh" | tail -n 1)"
node "$ROOT/scripts/build.mjs"
STATE="${SOURCELINE_E2E_CACHE:-$HOME/.cache/sourceline-e2e}/dev"
mkdir -p "$STATE/ud/User" "$STATE/exts"
[ -f "$STATE/ud/User/settings.json" ] || echo '{"workbench.startupEditor":"none","telemetry.telemetryLevel":"off","update.mode":"none"}' > "$STATE/ud/User/settings.json"
PAYLOAD="[[\"extensionDevelopmentPath\",\"vscode-remote://127.0.0.1:$PORT$ROOT\"]]"
ENCODED="$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$PAYLOAD")"
FOLDER_ENC="$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$FOLDER")"
echo "Open http://127.0.0.1:$PORT/?folder=$FOLDER_ENC&payload=$ENCODED"
exec node "$ENTRY" --auth none --bind-addr "127.0.0.1:$PORT" --user-data-dir "$STATE/ud" --extensions-dir "$STATE/exts" \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override "$FOLDER"
