import type { AllStandinsConfig } from './all.ts';
import type { ChatFlavour } from './chat/server.ts';
import type { StreamErrorFraming } from './chat/llama.ts';
import { OBSERVED_BEHAVIOURS } from './observed.ts';

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
 * Real servers' observed behaviours (see observed.ts): STANDIN_OBSERVED=1 turns them all on, and
 * each has its own switch: STANDIN_LLM_FLAVOUR (vllm | llama.cpp), STANDIN_LLM_N_CTX,
 * STANDIN_LLM_CONTEXT_SHIFT, STANDIN_LLM_STREAM_ERROR_FRAMING (data-error | sse-error-field),
 * STANDIN_LLM_STREAM_ERROR_AFTER, STANDIN_LLM_NAGLE, STANDIN_STT_ABORT_CHECKPOINT_MS,
 * STANDIN_STT_NAGLE, STANDIN_TTS_UNCANCELLABLE, STANDIN_TTS_REAL_FAILURES, STANDIN_TTS_VOICE_IDS
 * (s1 | s2), STANDIN_EMBEDDING_BATCH_TOKENS, STANDIN_EMBEDDING_NAGLE (flags: 1/0, true/false).
 * A malformed value throws an error naming the variable.
 */
export function standinsConfigFromEnv(env: Env, only?: StandinRole): AllStandinsConfig {
  const num = (name: string, fallback: number): number => count(env, name, fallback) ?? fallback;
  /** `{ [key]: value }` when the variable is set, else nothing. */
  const text = <K extends string>(name: string, key: K): Partial<Record<K, string>> => (env[name] ? ({ [key]: env[name] } as Record<K, string>) : {});
  const observed = flag(env, 'STANDIN_OBSERVED', false);
  const q = quirks(env, observed);
  const port = (role: StandinRole): number =>
    only ? num('STANDIN_PORT', REAL_SERVER_PORT[role]) : num(`STANDIN_${role.toUpperCase()}_PORT`, LOCAL_PORT[role]);
  const want = (role: StandinRole): boolean => only === undefined || only === role;
  return {
    host: env['STANDIN_HOST'] || (only ? '0.0.0.0' : '127.0.0.1'),
    llm: want('llm') && {
      port: port('llm'),
      firstTokenMs: num('STANDIN_LLM_FIRST_TOKEN_MS', 0),
      perTokenMs: num('STANDIN_LLM_PER_TOKEN_MS', 0),
      readyDelayMs: num('STANDIN_LLM_READY_DELAY_MS', 0),
      ...text('STANDIN_LLM_MODEL', 'modelId'),
      ...q.llm,
    },
    stt: want('stt') && {
      port: port('stt'),
      latencyMs: num('STANDIN_STT_LATENCY_MS', 0),
      ...defined({ maxActiveHmms: count(env, 'STANDIN_STT_MAX_ACTIVE_HMMS', undefined) }),
      ...q.stt,
    },
    tts: want('tts') && {
      port: port('tts'),
      firstByteMs: num('STANDIN_TTS_FIRST_BYTE_MS', 0),
      msPerChar: num('STANDIN_TTS_MS_PER_CHAR', 0),
      ...text('STANDIN_TTS_API_KEY', 'apiKey'),
      ...q.tts,
    },
    embedding: want('embedding') && {
      port: port('embedding'),
      latencyMs: num('STANDIN_EMBEDDING_LATENCY_MS', 0),
      dims: num('STANDIN_EMBEDDING_DIMS', 384),
      ...text('STANDIN_EMBEDDING_API_KEY', 'apiKey'),
      ...q.embedding,
    },
    audio: want('audio') && {
      port: port('audio'),
      pcmSampleRate: num('STANDIN_AUDIO_PCM_RATE', 24_000),
      firstByteMs: num('STANDIN_AUDIO_FIRST_BYTE_MS', 0),
      sttLatencyMs: num('STANDIN_AUDIO_STT_LATENCY_MS', 0),
    },
  };
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const v = env[name]?.trim().toLowerCase();
  if (v === undefined || v === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`${name} must be 1/0 or true/false, got "${env[name]}"`);
}

function choice<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T | undefined): T | undefined {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${v}"`);
  return v as T;
}

function count(env: Env, name: string, fallback: number | undefined): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${v}"`);
  return n;
}

/** Only the keys that are set, so a plain configuration stays as it was. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The observed-behaviour switches: each from its own variable, else on with STANDIN_OBSERVED=1. */
function quirks(env: Env, observed: boolean) {
  const o = observed ? OBSERVED_BEHAVIOURS : undefined;
  return {
    llm: defined({
      flavour: choice<ChatFlavour>(env, 'STANDIN_LLM_FLAVOUR', ['vllm', 'llama.cpp'], o?.llm.flavour),
      nCtx: count(env, 'STANDIN_LLM_N_CTX', undefined),
      contextShift: env['STANDIN_LLM_CONTEXT_SHIFT'] ? flag(env, 'STANDIN_LLM_CONTEXT_SHIFT', true) : o?.llm.contextShift,
      streamErrorFraming: choice<StreamErrorFraming>(env, 'STANDIN_LLM_STREAM_ERROR_FRAMING', ['data-error', 'sse-error-field'], o?.llm.streamErrorFraming),
      inStreamErrorAfter: count(env, 'STANDIN_LLM_STREAM_ERROR_AFTER', undefined),
      nagle: flag(env, 'STANDIN_LLM_NAGLE', o?.llm.nagle ?? false) || undefined,
    }),
    stt: defined({
      abortCheckpointMs: count(env, 'STANDIN_STT_ABORT_CHECKPOINT_MS', o?.stt.abortCheckpointMs),
      nagle: flag(env, 'STANDIN_STT_NAGLE', o?.stt.nagle ?? false) || undefined,
    }),
    tts: defined({
      uncancellable: flag(env, 'STANDIN_TTS_UNCANCELLABLE', o?.tts.uncancellable ?? false) || undefined,
      realFailures: flag(env, 'STANDIN_TTS_REAL_FAILURES', o?.tts.realFailures ?? false) || undefined,
      voiceIds: choice(env, 'STANDIN_TTS_VOICE_IDS', ['s1', 's2'] as const, undefined),
    }),
    embedding: defined({
      batchTokens: count(env, 'STANDIN_EMBEDDING_BATCH_TOKENS', o?.embedding.batchTokens),
      nagle: flag(env, 'STANDIN_EMBEDDING_NAGLE', o?.embedding.nagle ?? false) || undefined,
    }),
  };
}
