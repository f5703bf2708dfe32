/**
 * One stand-in model server per container (compose `mock` profile), so each runs under the real
 * service's name and port: `llm` :8000, `stt` :8080, `tts` :8080, `embedding` :8080.
 *
 *   node --import tsx docker/standin-one.ts <llm|stt|tts|embedding|audio>
 *
 * Env: STANDIN_HOST (default 0.0.0.0), STANDIN_PORT (default: the real server's port) and the
 * same latency knobs as `npm run standins` (packages/standins/src/main.ts):
 * STANDIN_LLM_FIRST_TOKEN_MS, STANDIN_LLM_PER_TOKEN_MS, STANDIN_LLM_READY_DELAY_MS,
 * STANDIN_LLM_MODEL, STANDIN_STT_LATENCY_MS, STANDIN_TTS_FIRST_BYTE_MS, STANDIN_TTS_MS_PER_CHAR,
 * STANDIN_TTS_API_KEY, STANDIN_EMBEDDING_LATENCY_MS, STANDIN_EMBEDDING_DIMS,
 * STANDIN_EMBEDDING_API_KEY, STANDIN_AUDIO_PCM_RATE, STANDIN_AUDIO_FIRST_BYTE_MS,
 * STANDIN_AUDIO_STT_LATENCY_MS.
 */
import { startAllStandins } from '@va/standins';
import type { AllStandinsConfig } from '@va/standins';

const ROLES = ['llm', 'stt', 'tts', 'embedding', 'audio'] as const;
type Role = (typeof ROLES)[number];
const DEFAULT_PORT: Record<Role, number> = { llm: 8000, stt: 8080, tts: 8080, embedding: 8080, audio: 8000 };

const env = process.env;
const num = (name: string, fallback: number): number => {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${v}"`);
  return n;
};
const opt = (name: string): string | undefined => (env[name] ? env[name] : undefined);
const log = (obj: Record<string, unknown>): void =>
  void process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...obj })}\n`);

async function main(): Promise<void> {
  const role = process.argv[2] as Role | undefined;
  if (!role || !ROLES.includes(role)) throw new Error(`usage: standin-one.ts <${ROLES.join('|')}>`);
  const port = num('STANDIN_PORT', DEFAULT_PORT[role]);
  const host = env['STANDIN_HOST'] || '0.0.0.0';
  const config: AllStandinsConfig = { host, llm: false, stt: false, tts: false, embedding: false, audio: false };
  switch (role) {
    case 'llm':
      config.llm = {
        port,
        firstTokenMs: num('STANDIN_LLM_FIRST_TOKEN_MS', 0),
        perTokenMs: num('STANDIN_LLM_PER_TOKEN_MS', 0),
        readyDelayMs: num('STANDIN_LLM_READY_DELAY_MS', 0),
        ...(opt('STANDIN_LLM_MODEL') ? { modelId: opt('STANDIN_LLM_MODEL')! } : {}),
      };
      break;
    case 'stt':
      config.stt = { port, latencyMs: num('STANDIN_STT_LATENCY_MS', 0) };
      break;
    case 'tts':
      config.tts = {
        port,
        firstByteMs: num('STANDIN_TTS_FIRST_BYTE_MS', 0),
        msPerChar: num('STANDIN_TTS_MS_PER_CHAR', 0),
        ...(opt('STANDIN_TTS_API_KEY') ? { apiKey: opt('STANDIN_TTS_API_KEY')! } : {}),
      };
      break;
    case 'embedding':
      config.embedding = {
        port,
        latencyMs: num('STANDIN_EMBEDDING_LATENCY_MS', 0),
        dims: num('STANDIN_EMBEDDING_DIMS', 384),
        ...(opt('STANDIN_EMBEDDING_API_KEY') ? { apiKey: opt('STANDIN_EMBEDDING_API_KEY')! } : {}),
      };
      break;
    case 'audio':
      config.audio = {
        port,
        pcmSampleRate: num('STANDIN_AUDIO_PCM_RATE', 24_000),
        firstByteMs: num('STANDIN_AUDIO_FIRST_BYTE_MS', 0),
        sttLatencyMs: num('STANDIN_AUDIO_STT_LATENCY_MS', 0),
      };
      break;
  }
  const all = await startAllStandins(config);
  const s = all[role];
  log({ level: 'info', msg: 'standin started', role, url: s?.url, port: s?.port, is_mock: true });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', msg: 'standin stopping', role, signal });
    setTimeout(() => process.exit(1), 5_000).unref();
    void all.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  log({ level: 'error', msg: 'standin failed to start', error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
