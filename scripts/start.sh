#!/usr/bin/env bash
# `npm start`: installs what is missing, then starts the app on its embedded defaults
# (stand-in model servers inside the app, embedded PostgreSQL in ./data). Open the printed URL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --app
exec npx tsx apps/server/src/main.ts
