import { classifyUtteranceEnd, defaultTurnEndOptions, endOfTurnSilenceMs, PARTIAL_SILENCE_MS } from '@va/pipeline';

/** The fixed stand-in latencies the benchmark runs with (ms), and the ideal time to first audio. */
export interface BenchLatencies {
  sttMs: number;
  embeddingMs: number;
  llmFirstTokenMs: number;
  llmPerTokenMs: number;
  ttsFirstByteMs: number;
  ttsMsPerChar: number;
  /** The longest VAD silence that ends a turn (the app's ENDPOINT_SILENCE_MS; with TURN_END=words a finished sentence ends sooner). */
  endpointMs: number;
}

export const DEFAULT_LATENCIES: BenchLatencies = {
  sttMs: 150,
  embeddingMs: 20,
  llmFirstTokenMs: 200,
  llmPerTokenMs: 25,
  ttsFirstByteMs: 250,
  ttsMsPerChar: 0,
  endpointMs: 480,
};

/** How the turn's transcript and documents were obtained (turn.metrics). */
export interface TurnShape {
  /** Documents were looked up for this answer... */
  retrieval: boolean;
  /** ...during the end-of-turn silence, so not on the critical path. */
  retrievalEarly: boolean;
  /** The final was transcribed once `finalAudioReadyMs` of silence had passed, not at the endpoint. */
  transcriptEarly: boolean;
  finalAudioReadyMs: number;
  /**
   * The answer was started during the end-of-turn silence from the settled partial or the early
   * final (held until the final confirmed it); null when it started from the final.
   */
  preemptive: 'partial' | 'final' | null;
  /**
   * End of speech -> the settled partial known: PARTIAL_SILENCE_MS, or later when a partial
   * requested before then was still being transcribed (provider time, not ours).
   */
  settledMs: number;
  /**
   * The end-of-turn silence the best pipeline of this shape waits for this turn's words
   * (idealEndOfTurnMs; at most `endpointMs`); undefined: `endpointMs` (a fixed silence).
   */
  endpointMs?: number;
}

/**
 * The end-of-turn silence for these words at best, as the pipeline's end-of-turn policy decides it
 * (listen/turn-end.ts, maximum `endpointMs` as the app sets it): 200 ms after a complete sentence,
 * the neutral or continuation wait otherwise. A complete sentence is only trusted from the early
 * final's words (a partial may lag the speech), which exist once the settled point is reached
 * (PARTIAL_SILENCE_MS, or later when a partial was still being transcribed: provider time) and
 * the STT has run: the turn cannot end before that. What the server waits beyond this (VAD
 * framing, packet pacing, our scheduling) is overhead.
 */
export function idealEndOfTurnMs(l: BenchLatencies, words: string, settledMs: number): number {
  const policy = { ...defaultTurnEndOptions, maxMs: l.endpointMs };
  const wait = endOfTurnSilenceMs(words, policy);
  if (classifyUtteranceEnd(words) !== 'complete') return wait;
  return Math.min(l.endpointMs, Math.max(wait, Math.max(PARTIAL_SILENCE_MS, settledMs) + l.sttMs));
}

/** End of speech -> final transcript at best: the endpoint, plus what of the STT is left by then. */
export function idealFinalMs(l: BenchLatencies, shape: TurnShape): number {
  const endpointMs = Math.min(l.endpointMs, shape.endpointMs ?? l.endpointMs);
  const sttAfterEndpoint = shape.transcriptEarly ? Math.max(0, shape.finalAudioReadyMs + l.sttMs - endpointMs) : l.sttMs;
  return endpointMs + sttAfterEndpoint;
}

/**
 * The best a pipeline of this shape could do with these provider timings: end of speech ->
 * endpoint silence -> what is left of the final STT -> query embedding (unless it ran during the
 * silence) -> LLM first token -> the rest of the first segment's tokens -> TTS first byte.
 * Everything our code adds (VAD framing, HTTP, splitting, resampling, Opus, pacing, the
 * WebSocket) is overhead above this.
 */
export function idealTtsStartMs(l: BenchLatencies, firstSegmentTokens: number, firstSegmentChars: number, shape: TurnShape): number {
  const firstAudio = l.llmFirstTokenMs + Math.max(0, firstSegmentTokens - 1) * l.llmPerTokenMs + l.ttsFirstByteMs + firstSegmentChars * l.ttsMsPerChar;
  if (shape.preemptive === null) {
    return idealFinalMs(l, shape) + (shape.retrieval && !shape.retrievalEarly ? l.embeddingMs : 0) + firstAudio;
  }
  // Preemptive: the answer starts when the settled text is known (the partial, or the early
  // final's STT after it), looks the documents up, and its first audio is held until the final
  // confirms it: whichever comes last.
  const start = shape.settledMs + (shape.preemptive === 'final' ? l.sttMs : 0);
  const held = start + (shape.retrieval ? l.embeddingMs : 0) + firstAudio;
  return Math.max(idealFinalMs(l, shape), held);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export function summary(values: number[]): { p50: number; p95: number; n: number } {
  const r = (x: number) => Math.round(x * 10) / 10;
  return { p50: r(percentile(values, 50)), p95: r(percentile(values, 95)), n: values.length };
}
