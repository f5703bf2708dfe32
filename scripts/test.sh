#!/usr/bin/env bash
# `npm test`: the whole suite. Installs what it needs, type-checks, lints, then runs unit,
# integration (real PostgreSQL, stand-in servers, real speech) and browser tests (Debian Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# PostgreSQL for the conversation-log tests (the machine's cluster; start it if it is down).
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null; then
    v=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
    [ -n "$v" ] && pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

echo "== typecheck" >&2
npx tsc -p tsconfig.json --noEmit
npx tsc -p apps/web/tsconfig.json --noEmit
echo "== lint" >&2
npx eslint . --max-warnings=0

echo "== tests" >&2
report=$(mktemp)
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json="$report"
unit=$?
npx vitest run --config apps/web/e2e/vitest.config.ts --reporter=default --reporter=json --outputFile.json="$report.e2e"
e2e=$?
compose=0
if [ "${CI:-}" = "true" ] || [ "${TEST_COMPOSE:-}" = "1" ]; then
  echo "== docker compose smoke (mock profile)" >&2
  bash scripts/compose-setup.sh && bash scripts/compose-smoke.sh
  compose=$?
fi
set -e
node -e '
const fs=require("fs"); let p=0,f=0,s=0;
for (const file of process.argv.slice(1)) { if (!fs.existsSync(file)) { f++; continue; } const r=JSON.parse(fs.readFileSync(file,"utf8")); p+=r.numPassedTests; f+=r.numFailedTests; s+=r.numPendingTests+(r.numTodoTests||0); }
console.log(`${p} passed, ${f} failed` + (s ? `, ${s} skipped` : ""));' "$report" "$report.e2e"
rm -f "$report" "$report.e2e"
[ $compose -eq 0 ] || echo "compose smoke test FAILED" >&2
[ $unit -eq 0 ] && [ $e2e -eq 0 ] && [ $compose -eq 0 ]
