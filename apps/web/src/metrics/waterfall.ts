import type { TurnStages } from '@va/protocol';

/** Browser-side timestamps (performance.now()) of one turn. */
export interface TurnMarks {
  /** End of the user's speech: vad speech_end, audio.end sent, or the typed text sent. */
  speechEndMs: number | null;
  speechEndSource: 'vad' | 'audio.end' | 'text' | null;
  finalMs: number | null;
  firstTokenMs: number | null;
  firstAudioMs: number | null;
}

export interface Waterfall {
  /**
   * The user stopped -> the server decided the turn had ended (its end-of-turn silence,
   * `turn.metrics.stages.endpoint_ms`): the VAD event arrives when the turn ends, so the user
   * really stopped this long before it.
   */
  waitMs: number | null;
  /** end of turn -> final transcript */
  sttMs: number | null;
  /** final transcript -> first assistant token */
  llmMs: number | null;
  /** first assistant token -> first audio sample played */
  ttsMs: number | null;
  /** the user stopped speaking (or sent the text) -> first audio sample played */
  totalMs: number | null;
}

export const emptyMarks = (): TurnMarks => ({ speechEndMs: null, speechEndSource: null, finalMs: null, firstTokenMs: null, firstAudioMs: null });

function span(from: number | null, to: number | null): number | null {
  if (from === null || to === null) return null;
  return Math.max(0, Math.round(to - from));
}

export function computeWaterfall(m: TurnMarks, server: Pick<TurnStages, 'endpoint_ms'> | null = null): Waterfall {
  const waitMs = m.speechEndSource === 'vad' && typeof server?.endpoint_ms === 'number' ? Math.max(0, Math.round(server.endpoint_ms)) : null;
  // For typed text the final transcript echo marks the start of the answer.
  const endOfTurn = m.speechEndMs ?? m.finalMs;
  const start = endOfTurn === null ? null : endOfTurn - (waitMs ?? 0);
  return {
    waitMs,
    sttMs: span(m.speechEndMs, m.finalMs),
    llmMs: span(m.finalMs, m.firstTokenMs),
    ttsMs: span(m.firstTokenMs, m.firstAudioMs),
    totalMs: span(start, m.firstAudioMs),
  };
}

/** Keeps the first value of a mark (later duplicates, e.g. more deltas, do not move it). */
export function markOnce<K extends keyof TurnMarks>(m: TurnMarks, key: K, value: TurnMarks[K]): TurnMarks {
  return m[key] === null ? { ...m, [key]: value } : m;
}

export interface WaterfallBar {
  key: 'wait' | 'stt' | 'llm' | 'tts';
  startMs: number;
  durationMs: number;
}

/** Bars for drawing: consecutive stages laid on one time axis starting at 0. */
export function waterfallBars(w: Waterfall): { bars: WaterfallBar[]; totalMs: number } {
  const bars: WaterfallBar[] = [];
  let t = 0;
  for (const [key, d] of [['wait', w.waitMs], ['stt', w.sttMs], ['llm', w.llmMs], ['tts', w.ttsMs]] as const) {
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
  server: TurnStages | null;
  interrupted: boolean;
}
