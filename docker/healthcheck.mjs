#!/usr/bin/env node
// Container health probe without curl: exits 0 when GET <url> answers 200 within the timeout.
//   node docker/healthcheck.mjs [url] [timeout_ms]
// Default url: http://127.0.0.1:$PORT/health (the app's liveness route).
// Any non-200 or a refused connection counts as unhealthy (whisper.cpp answers 404 while it
// reloads a model, llama.cpp 503 while loading, NIM 503 until the model serves).
const url = process.argv[2] || `http://127.0.0.1:${process.env.PORT || 3000}/health`;
const timeoutMs = Number(process.argv[3] || 5000);
const headers = process.env.HEALTHCHECK_BEARER ? { authorization: `Bearer ${process.env.HEALTHCHECK_BEARER}` } : {};
try {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  process.exit(res.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}
