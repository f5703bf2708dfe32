import { FakeClock } from '@va/testkit';
import type { AudioFrame, ServerMessage } from '@va/protocol';
import { createOpusEncoder } from '../../audio/opus.ts';
import type { ChatMessage, ConversationLog, Language, LlmChunk, LlmProvider, Retriever, SttProvider, TtsChunk, TtsProvider, TurnRecord } from '../../ports.ts';
import { defaultSessionConfig, type SessionConfig, type SessionDeps, type VadStream } from '../types.ts';
import { VoiceSession } from '../voice-session.ts';

/*
 * A whole conversation on fake time for the session tests. The providers are scripted stand-ins
 * for the external model servers (ports), timed on the fake clock; everything of ours (mic
 * decoding, endpointing, STT scheduling, turn, splitter, TTS ordering, Opus pacing, barge-in)
 * runs for real.
 */
export const STT_MS = 120;
export const LLM_FIRST_MS = 150;
export const LLM_TOKEN_MS = 20;
export const TTS_MS = 200;

export const EN_WORDS = ['what', 'is', 'the', 'battery', 'life'];

/**
 * These tests pin the fixed end of turn (480 ms of silence) and plain barge-in, so their timings
 * stay exact whatever the default turn-taking policy is (turn-end.ts, backchannel.ts and the
 * echo guard have tests of their own); a test can still override any of it.
 */
const FIXED_TURN_TAKING = {
  endpointer: { ...defaultSessionConfig.endpointer, redemptionMs: 480 },
  turnEnd: null,
  bargeIn: null,
} as Partial<SessionConfig>;

export interface ScriptOptions {
  /** Whether the mic audio at `ms` is speech (the VAD's answer). */
  speech: (ms: number) => boolean;
  /** The LLM's answer, token by token. */
  answer: string[];
  retriever?: { ms: number; failFirst?: boolean };
  /** The STT's words: one more for every `samplesPerWord` (6000) samples sent (default: English). */
  words?: string[];
  samplesPerWord?: number;
  /** Joins the words (default ' '; '' for Japanese). */
  joiner?: string;
  /** The session's language (SessionDeps.language). */
  language?: Language;
  config?: Partial<SessionConfig>;
  /** The LLM stream fails before any text. */
  llmFails?: boolean;
  /**
   * Rewrites the STT's answer to a request (an Error fails it, not retryable). `afterEndpoint`:
   * the request went out after the VAD's speech_end (the final transcribed at the endpoint).
   */
  sttScript?: (text: string, req: { n: number; samples: number; at: number; afterEndpoint: boolean }) => string | Error;
}

function scriptedProviders(clock: FakeClock, opts: ScriptOptions, afterEndpoint: () => boolean) {
  const sttCalls: Array<{ samples: number; language: string | undefined; at: number }> = [];
  const stt: SttProvider = {
    role: 'stt', type: 'script', baseUrl: 'x', health: async () => ({ ok: true, latencyMs: 0 }),
    async transcribe(req) {
      sttCalls.push({ samples: req.pcm.length, language: req.language, at: clock.now() });
      const call = { n: sttCalls.length, samples: req.pcm.length, at: clock.now(), afterEndpoint: afterEndpoint() };
      await clock.sleep(STT_MS, req.signal);
      const words = opts.words ?? EN_WORDS;
      const text = words.slice(0, Math.min(words.length, Math.ceil(req.pcm.length / (opts.samplesPerWord ?? 6000)))).join(opts.joiner ?? ' ');
      const scripted = opts.sttScript ? opts.sttScript(text, call) : text;
      if (scripted instanceof Error) throw scripted;
      return { text: scripted };
    },
  };
  const llmCalls: Array<{ at: number; messages: ChatMessage[]; signal: AbortSignal }> = [];
  const llm: LlmProvider = {
    role: 'llm', type: 'script', baseUrl: 'x', health: async () => ({ ok: true, latencyMs: 0 }),
    async *stream(req): AsyncIterable<LlmChunk> {
      llmCalls.push({ at: clock.now(), messages: req.messages, signal: req.signal });
      await clock.sleep(LLM_FIRST_MS, req.signal);
      if (opts.llmFails) throw new Error('llm down');
      for (const [i, t] of opts.answer.entries()) {
        if (i > 0) await clock.sleep(LLM_TOKEN_MS, req.signal);
        yield { type: 'text', text: t };
      }
    },
  };
  const ttsCalls: Array<{ at: number; text: string; language: Language | undefined; signal: AbortSignal }> = [];
  const tts: TtsProvider = {
    role: 'tts', type: 'script', baseUrl: 'x', health: async () => ({ ok: true, latencyMs: 0 }),
    async *synthesize(req): AsyncIterable<TtsChunk> {
      ttsCalls.push({ at: clock.now(), text: req.text, language: req.language, signal: req.signal });
      await clock.sleep(TTS_MS, req.signal);
      const pcm = new Int16Array(24_000); // 1 s at 24 kHz
      for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(8000 * Math.sin(i / 10));
      yield { sampleRate: 24_000, pcm };
    },
  };
  return { stt, llm, tts, sttCalls, llmCalls, ttsCalls, get ttsTexts() { return ttsCalls.map((c) => c.text); } };
}

/** VAD stand-in: speech probability from a schedule of audio time (ms). */
function scheduledVad(isSpeech: (audioMs: number) => boolean): VadStream {
  let frames = 0;
  return { frameSamples: 512, process: async () => (isSpeech(frames++ * 32) ? 0.95 : 0.02), reset: () => undefined };
}

function recordingRetriever(clock: FakeClock, opts: NonNullable<ScriptOptions['retriever']>, lookups: Array<{ at: number; query: string }>): Retriever {
  return {
    loaded: true,
    async retrieve(query, o) {
      lookups.push({ at: clock.now(), query });
      await clock.sleep(opts.ms, o.signal);
      if (opts.failFirst && lookups.length === 1) throw new Error('embedding server down');
      return [{ documentId: 'd1', chunkId: 'c1', source: 'manual.md', text: 'The battery lasts two hours.', score: 0.9 }];
    },
  };
}

export function scriptedSession(opts: ScriptOptions) {
  const clock = new FakeClock();
  const events: Array<{ at: number; m: ServerMessage }> = [];
  const afterEndpoint = () => {
    const last = events.findLast((e) => e.m.type === 'vad')?.m;
    return last?.type === 'vad' && last.event === 'speech_end';
  };
  const p = scriptedProviders(clock, opts, afterEndpoint);
  const audio: Array<{ at: number; f: AudioFrame }> = [];
  const turns: TurnRecord[] = [];
  const prewarms: number[] = [];
  const lookups: Array<{ at: number; query: string }> = [];
  const observed: Array<{ preemptive?: boolean; wastedLlmCalls?: number; wastedTtsCalls?: number }> = [];
  const log: ConversationLog = {
    recordSessionStart: () => undefined,
    recordTurn: (t) => turns.push(t),
    pending: () => 0,
    health: async () => ({ ok: true, latencyMs: 0 }),
    close: async () => undefined,
  };
  const noop = () => undefined;
  const logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
  const deps: SessionDeps = {
    sessionId: 's1', clock, logger, stt: p.stt, llm: p.llm, tts: p.tts, log,
    retriever: opts.retriever ? recordingRetriever(clock, opts.retriever, lookups) : null,
    metrics: { observeTurn: (_s, info) => observed.push(info), observePartial: noop, countFallback: noop },
    createVad: () => scheduledVad(opts.speech),
    prewarm: () => prewarms.push(clock.now()),
    config: { ...defaultSessionConfig, ...FIXED_TURN_TAKING, ...opts.config },
    ...(opts.language ? { language: opts.language } : {}),
  };
  const session = new VoiceSession(deps);
  session.attach({
    sendEvent: (m) => events.push({ at: clock.now(), m }),
    sendAudio: (f) => (audio.push({ at: clock.now(), f }), true),
  });
  const packet = createOpusEncoder({ frameMs: 20 }).encode(new Int16Array(960));
  let seq = 0;
  /** Sends 20 ms mic packets in real (fake) time for `ms`. */
  const speak = async (ms: number) => {
    for (let t = 0; t < ms; t += 20) {
      await session.pushAudio(seq++, packet);
      await clock.advance(20);
    }
  };
  const of = <T extends ServerMessage['type']>(type: T) => events.filter((e) => e.m.type === type) as Array<{ at: number; m: Extract<ServerMessage, { type: T }> }>;
  return { clock, session, events, audio, turns, speak, of, p, prewarms, lookups, observed };
}
