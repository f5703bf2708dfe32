/** `npm run standins`: all stand-ins as one process (compose `mock` profile). Configured by env. */
import { startAllStandins } from './all.ts';
import type { AllStandins } from './all.ts';

const env = process.env;
const num = (name: string, fallback: number): number => {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${v}"`);
  return n;
};
const opt = (name: string): string | undefined => (env[name] ? env[name] : undefined);
const host = env['STANDIN_HOST'] || '127.0.0.1';

const log = (obj: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...obj })}\n`);

async function main(): Promise<void> {
  const all: AllStandins = await startAllStandins({
    host,
    llm: {
      port: num('STANDIN_LLM_PORT', 18000),
      firstTokenMs: num('STANDIN_LLM_FIRST_TOKEN_MS', 0),
      perTokenMs: num('STANDIN_LLM_PER_TOKEN_MS', 0),
      readyDelayMs: num('STANDIN_LLM_READY_DELAY_MS', 0),
      ...(opt('STANDIN_LLM_MODEL') ? { modelId: opt('STANDIN_LLM_MODEL')! } : {}),
    },
    stt: { port: num('STANDIN_STT_PORT', 18080), latencyMs: num('STANDIN_STT_LATENCY_MS', 0) },
    tts: {
      port: num('STANDIN_TTS_PORT', 18081),
      firstByteMs: num('STANDIN_TTS_FIRST_BYTE_MS', 0),
      msPerChar: num('STANDIN_TTS_MS_PER_CHAR', 0),
      ...(opt('STANDIN_TTS_API_KEY') ? { apiKey: opt('STANDIN_TTS_API_KEY')! } : {}),
    },
    embedding: {
      port: num('STANDIN_EMBEDDING_PORT', 18082),
      latencyMs: num('STANDIN_EMBEDDING_LATENCY_MS', 0),
      dims: num('STANDIN_EMBEDDING_DIMS', 384),
      ...(opt('STANDIN_EMBEDDING_API_KEY') ? { apiKey: opt('STANDIN_EMBEDDING_API_KEY')! } : {}),
    },
    audio: {
      port: num('STANDIN_AUDIO_PORT', 18083),
      pcmSampleRate: num('STANDIN_AUDIO_PCM_RATE', 24_000),
      firstByteMs: num('STANDIN_AUDIO_FIRST_BYTE_MS', 0),
      sttLatencyMs: num('STANDIN_AUDIO_STT_LATENCY_MS', 0),
    },
  });
  for (const [role, s] of Object.entries({ llm: all.llm, stt: all.stt, tts: all.tts, embedding: all.embedding, audio: all.audio })) {
    if (s) log({ level: 'info', msg: 'standin started', role, url: s.url, port: s.port });
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', msg: 'standins stopping', signal });
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    void all.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  log({ level: 'error', msg: 'standins failed to start', error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
