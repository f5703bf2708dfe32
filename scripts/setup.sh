#!/usr/bin/env bash
# Installs everything the app and its tests need on Debian/Ubuntu: system packages (speech
# engines for the stand-in model servers, Chromium for browser tests), npm dependencies from the
# lockfile, the stand-ins' native recognizer worker, and the web client build. Idempotent.
#   scripts/setup.sh          app + test dependencies
#   scripts/setup.sh --app    only what `npm start` needs (no Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

APP_PKGS=(pocketsphinx pocketsphinx-en-us libpocketsphinx-dev espeak-ng open-jtalk open-jtalk-mecab-naist-jdic hts-voice-nitech-jp-atr503-m001 gcc g++ make python3 pkg-config libc6-dev)
TEST_PKGS=(pocketsphinx-testdata sox chromium postgresql-client)
want=("${APP_PKGS[@]}")
[ "${1:-}" = "--app" ] || want+=("${TEST_PKGS[@]}")

missing=()
for p in "${want[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  # The Open JTalk voice (hts-voice-nitech-jp-atr503-m001) is in Debian's contrib component, which
  # is not enabled by default: add it with the same archive and keyring as main.
  if ! apt-cache policy hts-voice-nitech-jp-atr503-m001 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    bash scripts/enable-contrib.sh
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("setup: Node.js >= 20.19 is required, found "+process.versions.node); process.exit(1) }'

# npm dependencies from the lockfile (install scripts only for the packages in allowScripts).
stamp=node_modules/.setup-stamp
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

# The stand-in STT keeps pocketsphinx loaded in a small C worker; build it now, not on first use.
npx tsx -e "import('@va/standins').then(async (m) => { await m.ensureSphinxWorker(); })"

# The web client, served by the app from apps/web/dist.
if [ ! -f apps/web/dist/index.html ] || [ -n "$(find apps/web/src apps/web/index.html apps/web/public packages/protocol/src -newer apps/web/dist/index.html -print -quit 2>/dev/null)" ]; then
  echo "setup: building the web client" >&2
  NODE_ENV=production npx vite build --config apps/web/vite.config.ts --logLevel warn
fi
echo "setup: done" >&2
