import type { TurnStages } from '@va/protocol';

/** Browser-side timestamps (performance.now()) of one turn. */
export interface TurnMarks {
  /**
   * Where the user stopped: the VAD's speech end (`vad.audio_ms`) on the page's capture clock
   * (`capture`), the mic switched off (`audio.end`) or the typed text sent (`text`). Null with
   * source `vad`: the server ended the turn but the page could not map its audio position.
   */
  speechEndMs: number | null;
  speechEndSource: 'capture' | 'vad' | 'audio.end' | 'text' | null;
  /** The server's end of turn reached the page (`vad` speech_end). */
  endOfTurnMs: number | null;
  finalMs: number | null;
  firstTokenMs: number | null;
  /** The turn's first TTS packet reached the page. */
  firstPacketMs: number | null;
  /** The turn's first audio sample came out of the speakers (AudioContext output clock). */
  firstAudioMs: number | null;
}

export interface Waterfall {
  /**
   * How the start was found: `capture` (the speech end as captured), `estimate` (the end-of-turn
   * event minus the server's `endpoint_ms`), `vad` (the end-of-turn event; the wait is unknown),
   * `audio.end`, `text`; null: no start yet.
   */
  start: 'capture' | 'estimate' | 'vad' | 'audio.end' | 'text' | null;
  /** the user stopped -> the server's end of turn reached the page (the silence it waited, plus the network) */
  waitMs: number | null;
  /** end of turn (or text sent) -> final transcript on the page */
  sttMs: number | null;
  /**
   * final transcript -> first TTS packet on the page, split by the server's own stage times
   * (`turn.metrics`), attributed from the back: the TTS first, then the LLM's first token, then
   * retrieval; what they do not cover is `otherMs` (the LLM's tokens up to the first spoken
   * clause, our own code). Stages a preemptive answer ran during the end-of-turn silence are off
   * this interval, so they shrink here. Without `turn.metrics` yet: llm = final -> first token,
   * tts = first token -> first packet.
   */
  retrievalMs: number | null;
  llmMs: number | null;
  otherMs: number | null;
  ttsMs: number | null;
  /** first TTS packet received -> its first sample audible (jitter buffer, decode, worklet, output latency) */
  playoutMs: number | null;
  /** the user stopped (or sent the text) -> first audio sample audible */
  totalMs: number | null;
}

export const emptyMarks = (): TurnMarks => ({
  speechEndMs: null,
  speechEndSource: null,
  endOfTurnMs: null,
  finalMs: null,
  firstTokenMs: null,
  firstPacketMs: null,
  firstAudioMs: null,
});

function span(from: number | null, to: number | null): number | null {
  if (from === null || to === null) return null;
  return Math.max(0, Math.round(to - from));
}

type ServerSplit = Pick<TurnStages, 'retrieval_ms' | 'llm_first_token_ms' | 'tts_first_audio_ms'>;

/** `answerMs` split from its end: TTS, then the LLM's first token, then retrieval; the rest is other. */
export function splitAnswer(answerMs: number, s: ServerSplit): Pick<Waterfall, 'retrievalMs' | 'llmMs' | 'otherMs' | 'ttsMs'> {
  let rest = answerMs;
  const take = (ms: number | null): number | null => {
    if (ms === null) return null;
    const v = Math.max(0, Math.min(Math.round(ms), rest));
    rest -= v;
    return v;
  };
  const ttsMs = take(s.tts_first_audio_ms);
  const llmMs = take(s.llm_first_token_ms);
  const retrievalMs = take(s.retrieval_ms);
  return { retrievalMs, llmMs, otherMs: rest, ttsMs };
}

function startOf(m: TurnMarks, server: Partial<TurnStages> | null): { at: number | null; kind: Waterfall['start'] } {
  const src = m.speechEndSource;
  if (src === 'capture' || src === 'audio.end' || src === 'text') return { at: m.speechEndMs, kind: m.speechEndMs === null ? null : src };
  if (m.endOfTurnMs === null) return { at: null, kind: null };
  const endpoint = server?.endpoint_ms;
  if (typeof endpoint === 'number') return { at: m.endOfTurnMs - Math.max(0, endpoint), kind: 'estimate' };
  return { at: m.endOfTurnMs, kind: 'vad' };
}

export function computeWaterfall(m: TurnMarks, server: Partial<TurnStages> | null = null): Waterfall {
  const start = startOf(m, server);
  const voice = m.speechEndSource !== 'text';
  const waitMs = voice && start.kind !== 'vad' ? span(start.at, m.endOfTurnMs) : null;
  const sttMs = span(m.endOfTurnMs ?? start.at, m.finalMs);
  const answerEnd = m.firstPacketMs ?? m.firstAudioMs;
  const answerMs = span(m.finalMs, answerEnd);
  const hasSplit = server !== null && answerMs !== null && [server.retrieval_ms, server.llm_first_token_ms, server.tts_first_audio_ms].some((v) => typeof v === 'number');
  const answer = hasSplit
    ? splitAnswer(answerMs, { retrieval_ms: server.retrieval_ms ?? null, llm_first_token_ms: server.llm_first_token_ms ?? null, tts_first_audio_ms: server.tts_first_audio_ms ?? null })
    : { retrievalMs: null, llmMs: span(m.finalMs, m.firstTokenMs), otherMs: null, ttsMs: span(m.firstTokenMs, answerEnd) };
  return {
    start: start.kind,
    waitMs,
    sttMs,
    ...answer,
    playoutMs: m.firstPacketMs === null ? null : span(m.firstPacketMs, m.firstAudioMs),
    totalMs: span(start.at, m.firstAudioMs),
  };
}

/** Keeps the first value of a mark (later duplicates, e.g. more deltas, do not move it). */
export function markOnce<K extends keyof TurnMarks>(m: TurnMarks, key: K, value: TurnMarks[K]): TurnMarks {
  return m[key] === null ? { ...m, [key]: value } : m;
}

export const BAR_KEYS = ['wait', 'stt', 'retrieval', 'llm', 'other', 'tts', 'playout'] as const;
export type BarKey = (typeof BAR_KEYS)[number];

export interface WaterfallBar {
  key: BarKey;
  startMs: number;
  durationMs: number;
}

const barValue: Record<BarKey, (w: Waterfall) => number | null> = {
  wait: (w) => w.waitMs,
  stt: (w) => w.sttMs,
  retrieval: (w) => w.retrievalMs,
  llm: (w) => w.llmMs,
  other: (w) => w.otherMs,
  tts: (w) => w.ttsMs,
  playout: (w) => w.playoutMs,
};

/** Bars for drawing: consecutive stages laid on one time axis starting at 0 (where the user stopped). */
export function waterfallBars(w: Waterfall): { bars: WaterfallBar[]; totalMs: number } {
  const bars: WaterfallBar[] = [];
  let t = 0;
  for (const key of BAR_KEYS) {
    const d = barValue[key](w);
    if (d === null) continue;
    bars.push({ key, startMs: t, durationMs: d });
    t += d;
  }
  return { bars, totalMs: w.totalMs ?? t };
}

export interface TurnMetricsRecord extends Waterfall {
  turnId: string;
  source: 'voice' | 'text';
  speechEndSource: TurnMarks['speechEndSource'];
  /** The page's own timestamps of the turn (performance.now()), for tests and diagnostics. */
  marks: TurnMarks;
  server: TurnStages | null;
  interrupted: boolean;
}
