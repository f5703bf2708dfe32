/**
 * WebSocket ping round trips while one person talks, with the embedded stand-ins in their own
 * process (today's default) and inside the app process (before). Each mode: the app in a child
 * process, one client streaming real speech turn after turn at real time (its answers are
 * synthesised and sent back), a ping on the same socket every 50 ms.
 *
 *   npx tsx apps/server/src/bench/ping-latency.ts [turns=6] [in-process,child-process]
 *
 * Prints a table and a JSON last line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { VoiceClient, goForward, padSilence } from '@va/testkit';
import { spawnServer } from '../test/server-process.ts';

const TOKEN = 'bench-token-1234';
type Mode = 'child-process' | 'in-process';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

async function talkAndPing(url: string, turns: number): Promise<number[]> {
  const client = await VoiceClient.connect(url, `ping-${Date.now()}`, TOKEN);
  const rtts: number[] = [];
  client.ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) return;
    const m = JSON.parse(data.toString('utf8')) as { type: string; t?: number };
    if (m.type === 'pong' && typeof m.t === 'number') rtts.push(performance.now() - m.t);
  });
  const pinger = setInterval(() => client.send({ type: 'ping', t: performance.now() }), 50);
  const speech = padSilence(goForward().pcm, 300, 0);
  try {
    for (let i = 0; i < turns; i++) {
      const since = performance.now();
      await client.streamSpeech(speech);
      await client.streamSpeech(new Int16Array(16_000 * 2)); // end of turn; the answer plays meanwhile
      await client.waitFor('assistant.done', 30_000, undefined, since).catch(() => undefined);
      await client.streamSpeech(new Int16Array(16_000)); // listening to the end of the answer
    }
  } finally {
    clearInterval(pinger);
    await client.close();
  }
  return rtts;
}

async function run(mode: Mode, turns: number): Promise<Record<string, number | string>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'va-ping-'));
  const env = { PORT: '0', APP_TOKEN: TOKEN, DATA_DIR: dataDir, LOG_LEVEL: 'warn', STANDINS: 'embedded', STANDIN_LLM_PORT: '0', STANDIN_STT_PORT: '0', STANDIN_TTS_PORT: '0', STANDIN_EMBEDDING_PORT: '0' };
  const script = mode === 'in-process' ? resolve(import.meta.dirname, 'inprocess-server.ts') : undefined;
  const server = spawnServer({ ...env, LOG_LEVEL: 'info' }, script ? { script } : {});
  try {
    const url = await server.listening;
    const rtts = (await talkAndPing(url, turns)).sort((a, b) => a - b);
    const r = (q: number): number => Math.round(quantile(rtts, q) * 10) / 10;
    return { mode, pings: rtts.length, p50_ms: r(0.5), p95_ms: r(0.95), p99_ms: r(0.99), max_ms: r(1) };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const turns = Number(process.argv[2] ?? 6);
const modes = (process.argv[3] ?? 'in-process,child-process').split(',') as Mode[];
const results = [];
for (const mode of modes) {
  const r = await run(mode, turns);
  results.push(r);
  process.stdout.write(`${String(r.mode).padEnd(14)} pings ${r.pings}  p50 ${r.p50_ms} ms  p95 ${r.p95_ms} ms  p99 ${r.p99_ms} ms  max ${r.max_ms} ms\n`);
}
process.stdout.write(`${JSON.stringify({ bench: 'ws-ping-while-talking', turns, results })}\n`);
