#!/usr/bin/env bash
# Compose smoke test of the `mock` profile, end to end through the composed stack:
#   build images -> up (postgres + stand-ins + app) -> GET /health -> ingest a document
#   -> GET /ready (200) -> one voice turn over the WebSocket (real speech in, transcript.final and a
#   TTS Opus frame out) -> down -v.
#
#   scripts/compose-smoke.sh            (or `make smoke`)
# Env: COMPOSE (default: `docker compose` if present, else `docker-compose`), SMOKE_PORT (13000),
#      SMOKE_KEEP=1 (leave the stack running), SMOKE_NO_BUILD=1 (use existing images),
#      SMOKE_AUDIO=<16 kHz s16le .raw or .wav> (default: pocketsphinx-testdata's goforward.raw if
#      installed, else a sentence from the stack's own TTS server), SMOKE_EXPECT (word expected
#      in the transcript; default "forward" with goforward.raw).
# Needs: docker, compose, curl. Exit 0 = pass. Prints the time of every phase and the total.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${COMPOSE:-}" ]; then
  if docker compose version >/dev/null 2>&1; then COMPOSE="docker compose"; else COMPOSE=docker-compose; fi
fi
export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-va-smoke}
export COMPOSE_PROFILES=mock
# Only the base file: the smoke tests the images, not the dev override.
export COMPOSE_FILE=docker-compose.yml
export APP_PORT=${SMOKE_PORT:-13000}
export APP_TOKEN=${APP_TOKEN:-smoke-token-$$}
base="http://127.0.0.1:${APP_PORT}"

t0=$(date +%s)
last=$t0
phase() {
  local now; now=$(date +%s)
  printf '[smoke %4ss | +%3ss] %s\n' "$((now - t0))" "$((now - last))" "$*"
  last=$now
}
dump_logs() {
  echo "---- compose ps / logs (last 60 lines per service) ----"
  $COMPOSE ps || true
  $COMPOSE logs --no-color --tail=60 || true
}
cleanup() {
  local rc=$?
  if [ "$rc" != 0 ]; then dump_logs; fi
  if [ "${SMOKE_KEEP:-0}" = 1 ]; then
    echo "stack left running (SMOKE_KEEP=1): $COMPOSE -p $COMPOSE_PROJECT_NAME down -v"
  else
    $COMPOSE down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  local total=$(( $(date +%s) - t0 ))
  if [ "$rc" = 0 ]; then echo "SMOKE PASSED in ${total}s"; else echo "SMOKE FAILED (exit $rc) after ${total}s"; fi
}
trap cleanup EXIT

# wait_http <url> <seconds>: until GET answers 200
wait_http() {
  local url=$1 limit=$2 start; start=$(date +%s)
  until curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null; do
    if [ $(( $(date +%s) - start )) -ge "$limit" ]; then
      echo "timed out after ${limit}s waiting for $url:"; curl -sS --max-time 5 "$url" || true; echo
      return 1
    fi
    sleep 1
  done
}

phase "compose: $($COMPOSE version --short 2>/dev/null || $COMPOSE version | head -n1), project $COMPOSE_PROJECT_NAME, app port $APP_PORT"
$COMPOSE config -q
if [ "${SMOKE_NO_BUILD:-0}" != 1 ]; then
  # build the two images once (the four stand-in services share one image)
  $COMPOSE build app-mock stt-mock
  phase "images built"
fi
$COMPOSE up -d --no-build
phase "containers started (app waits for postgres + 4 stand-ins to be healthy)"

wait_http "$base/health" 240
phase "GET /health 200: $(curl -sS --max-time 5 "$base/health")"

# A document for RAG, ingested through the stack's embedding server into the app's data volume.
$COMPOSE exec -T app-mock sh -c 'mkdir -p /tmp/smoke-docs && cat > /tmp/smoke-docs/hours.md' <<'DOC'
# Opening hours
The front desk opens at nine in the morning and closes at six in the evening.
To go forward ten meters from the entrance, follow the blue line to the reception.
DOC
$COMPOSE exec -T app-mock node --import tsx apps/ingest/src/main.ts /tmp/smoke-docs
phase "ingested 1 document"

wait_http "$base/ready" 120
ready=$(curl -sS --max-time 10 "$base/ready")
phase "GET /ready 200: $(printf '%s' "$ready" | head -c 700)"
# the mock profile must say so (is_mock: true -> status "degraded" with a warning)
printf '%s' "$ready" | grep -q '"is_mock":true' || { echo "/ready does not report is_mock: true"; exit 1; }

audio=${SMOKE_AUDIO:-}
if [ -z "$audio" ] && [ -f /usr/share/pocketsphinx/test/data/goforward.raw ]; then
  audio=/usr/share/pocketsphinx/test/data/goforward.raw
  SMOKE_EXPECT=${SMOKE_EXPECT:-forward}
fi
turn_args=(--url ws://127.0.0.1:3000 --token "$APP_TOKEN" --timeout-ms 90000)
if [ -n "$audio" ]; then
  ext=${audio##*.}
  $COMPOSE exec -T app-mock sh -c "cat > /tmp/smoke-speech.$ext" < "$audio"
  turn_args+=(--audio "/tmp/smoke-speech.$ext")
else
  turn_args+=(--tts-url http://tts:8080 --text "Go forward ten meters.")
fi
[ -n "${SMOKE_EXPECT:-}" ] && turn_args+=(--expect "$SMOKE_EXPECT")
$COMPOSE exec -T app-mock node --import tsx docker/smoke-turn.ts "${turn_args[@]}"
phase "voice turn passed"
