import type { AllStandinsConfig } from './all.ts';

export const STANDIN_ROLES = ['llm', 'stt', 'tts', 'embedding', 'audio'] as const;
export type StandinRole = (typeof STANDIN_ROLES)[number];

/** Ports of the real servers (one stand-in per container answers where the real one would). */
export const REAL_SERVER_PORT: Record<StandinRole, number> = { llm: 8000, stt: 8080, tts: 8080, embedding: 8080, audio: 8000 };
/** Ports when all stand-ins share one host (`npm run standins`, the app's embedded default). */
export const LOCAL_PORT: Record<StandinRole, number> = { llm: 18000, stt: 18080, tts: 18081, embedding: 18082, audio: 18083 };

type Env = Record<string, string | undefined>;

/**
 * The stand-ins' configuration from the environment. All of them (`only` unset: host
 * STANDIN_HOST or 127.0.0.1, ports STANDIN_<ROLE>_PORT or LOCAL_PORT) or one (`only`: host
 * STANDIN_HOST or 0.0.0.0, port STANDIN_PORT or the real server's). Latency and other knobs:
 * STANDIN_LLM_FIRST_TOKEN_MS, STANDIN_LLM_PER_TOKEN_MS, STANDIN_LLM_READY_DELAY_MS,
 * STANDIN_LLM_MODEL, STANDIN_STT_LATENCY_MS, STANDIN_STT_MAX_ACTIVE_HMMS,
 * STANDIN_TTS_FIRST_BYTE_MS, STANDIN_TTS_MS_PER_CHAR, STANDIN_TTS_API_KEY,
 * STANDIN_EMBEDDING_LATENCY_MS, STANDIN_EMBEDDING_DIMS, STANDIN_EMBEDDING_API_KEY,
 * STANDIN_AUDIO_PCM_RATE, STANDIN_AUDIO_FIRST_BYTE_MS, STANDIN_AUDIO_STT_LATENCY_MS.
 * A malformed number throws an error naming the variable.
 */
export function standinsConfigFromEnv(env: Env, only?: StandinRole): AllStandinsConfig {
  const num = (name: string, fallback: number): number => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${v}"`);
    return n;
  };
  const opt = (name: string): string | undefined => (env[name] ? env[name] : undefined);
  const port = (role: StandinRole): number =>
    only ? num('STANDIN_PORT', REAL_SERVER_PORT[role]) : num(`STANDIN_${role.toUpperCase()}_PORT`, LOCAL_PORT[role]);
  const want = (role: StandinRole): boolean => only === undefined || only === role;
  const maxHmms = opt('STANDIN_STT_MAX_ACTIVE_HMMS');
  return {
    host: env['STANDIN_HOST'] || (only ? '0.0.0.0' : '127.0.0.1'),
    llm: want('llm') && {
      port: port('llm'),
      firstTokenMs: num('STANDIN_LLM_FIRST_TOKEN_MS', 0),
      perTokenMs: num('STANDIN_LLM_PER_TOKEN_MS', 0),
      readyDelayMs: num('STANDIN_LLM_READY_DELAY_MS', 0),
      ...(opt('STANDIN_LLM_MODEL') ? { modelId: opt('STANDIN_LLM_MODEL')! } : {}),
    },
    stt: want('stt') && {
      port: port('stt'),
      latencyMs: num('STANDIN_STT_LATENCY_MS', 0),
      ...(maxHmms ? { maxActiveHmms: num('STANDIN_STT_MAX_ACTIVE_HMMS', 0) } : {}),
    },
    tts: want('tts') && {
      port: port('tts'),
      firstByteMs: num('STANDIN_TTS_FIRST_BYTE_MS', 0),
      msPerChar: num('STANDIN_TTS_MS_PER_CHAR', 0),
      ...(opt('STANDIN_TTS_API_KEY') ? { apiKey: opt('STANDIN_TTS_API_KEY')! } : {}),
    },
    embedding: want('embedding') && {
      port: port('embedding'),
      latencyMs: num('STANDIN_EMBEDDING_LATENCY_MS', 0),
      dims: num('STANDIN_EMBEDDING_DIMS', 384),
      ...(opt('STANDIN_EMBEDDING_API_KEY') ? { apiKey: opt('STANDIN_EMBEDDING_API_KEY')! } : {}),
    },
    audio: want('audio') && {
      port: port('audio'),
      pcmSampleRate: num('STANDIN_AUDIO_PCM_RATE', 24_000),
      firstByteMs: num('STANDIN_AUDIO_FIRST_BYTE_MS', 0),
      sttLatencyMs: num('STANDIN_AUDIO_STT_LATENCY_MS', 0),
    },
  };
}
