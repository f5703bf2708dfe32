import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeWavMono } from '@va/pipeline';
import { createEmbedder, createLlm, createStt, createTts, type ProvidersFile } from '@va/providers';
import { checkConnection, type ConnectionResult } from './checks/connection.ts';
import { checkEmbedding } from './checks/embedding.ts';
import { checkLlm } from './checks/llm.ts';
import { failed, type CheckResult } from './checks/result.ts';
import { checkStt, type Clip } from './checks/stt.ts';
import { checkTts } from './checks/tts.ts';
import { predictFirstAudio, type Prediction } from './predict.ts';

export interface DoctorOptions {
  providers: ProvidersFile;
  env: Record<string, string>;
  /** Requests per measurement (default 3): "p95" is the worst of them. */
  samples?: number;
  timeoutMs?: number;
}

export interface DoctorReport {
  providers: { llm: CheckResult; stt: CheckResult; tts: CheckResult; embedding: CheckResult };
  connections: Record<string, ConnectionResult>;
  predicted_first_audio_ms: Prediction | null;
}

const ROLES = ['llm', 'stt', 'tts', 'embedding'] as const;

/** The two bundled 16 kHz questions (en by espeak-ng, ja by Open JTalk). */
export function loadClips(): Clip[] {
  return (['en', 'ja'] as const).map((language) => {
    const wav = decodeWavMono(readFileSync(fileURLToPath(new URL(`../assets/${language}-question.wav`, import.meta.url))));
    if (wav.sampleRate !== 16000) throw new Error(`assets/${language}-question.wav is ${wav.sampleRate} Hz, not 16000`);
    return { language, pcm: wav.pcm };
  });
}

function healthPath(role: (typeof ROLES)[number], p: ProvidersFile): string {
  if (p[role].type === 'fish-speech') return '/v1/health';
  return '/health';
}

async function runChecks(o: DoctorOptions, samples: number, timeoutMs: number): Promise<DoctorReport['providers']> {
  const p = o.providers;
  let thoughts = 0;
  const guard = async (role: (typeof ROLES)[number], run: () => Promise<CheckResult>): Promise<CheckResult> => {
    try {
      return await run();
    } catch (err) {
      return failed(p[role].type, p[role].base_url, err); // e.g. a bad options block
    }
  };
  return {
    llm: await guard('llm', () => checkLlm(createLlm(p.llm, { onThink: () => void thoughts++ }), () => thoughts, samples, timeoutMs)),
    stt: await guard('stt', () => checkStt(createStt(p.stt), loadClips(), samples, timeoutMs)),
    tts: await guard('tts', () => checkTts(createTts(p.tts), samples, timeoutMs)),
    embedding: await guard('embedding', () => checkEmbedding(createEmbedder(p.embedding), samples, timeoutMs)),
  };
}

type Spread = { p50: number; p95: number };
const pick = (r: CheckResult, ...keys: string[]): Spread | undefined => {
  let v: unknown = r;
  for (const k of keys) v = (v as Record<string, unknown> | undefined)?.[k];
  return v as Spread | undefined;
};

function predict(r: DoctorReport['providers'], endpointMs: number): Prediction | null {
  const stt = pick(r.stt, 'en', 'latency_ms');
  const emb = pick(r.embedding, 'latency_ms');
  const llm = pick(r.llm, 'first_token_ms');
  const tts = pick(r.tts, 'en', 'first_byte_ms');
  const rate = r.llm['tokens_per_s'];
  if (!stt || !emb || !llm || !tts || typeof rate !== 'number') return null;
  return predictFirstAudio({ sttMs: stt, embeddingMs: emb, llmFirstTokenMs: llm, tokensPerS: rate, ttsFirstByteMs: tts, endpointMs });
}

/** Every configured provider: one small real request per capability, connection costs, and the prediction. */
export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const samples = o.samples ?? 3;
  const timeoutMs = o.timeoutMs ?? 30_000;
  const providers = await runChecks(o, samples, timeoutMs);
  const connections: Record<string, ConnectionResult> = {};
  for (const role of ROLES) connections[role] = await checkConnection(o.providers[role].base_url, healthPath(role, o.providers), 5, Math.min(timeoutMs, 5000));
  for (const role of ROLES) {
    const c = connections[role]!;
    const configured = o.providers[role].nagle;
    if (c.nagle_suspected && (configured === false || configured === 'false')) {
      providers[role].warnings.push(`pooled connections cost ${c.pooled_ms} ms vs ${c.fresh_ms} ms fresh: remove "nagle: false" (or set nagle: true)`);
    } else if (c.nagle_suspected && configured === undefined && (role === 'tts' || (role === 'llm' && providers.llm['n_ctx_source'] !== 'llama-server /props'))) {
      providers[role].warnings.push(`pooled connections cost ${c.pooled_ms} ms vs ${c.fresh_ms} ms fresh: set "nagle: true" for ${role} in the providers file`);
    }
  }
  const endpointMs = Number(o.env['ENDPOINT_SILENCE_MS'] ?? 480) || 480;
  return { providers, connections, predicted_first_audio_ms: predict(providers, endpointMs) };
}
