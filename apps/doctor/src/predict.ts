import { idealTtsStartMs, type BenchLatencies } from '@va/bench';

/** What the app adds above the model servers, from `npm run bench` (overhead p50 / p95, ms). */
export const APP_OVERHEAD_MS = { p50: 13, p95: 19 };
/** The first clause the splitter releases: about ten tokens, forty characters. */
const FIRST_CLAUSE = { tokens: 10, chars: 40 };
export const TARGET_MS = 2000;

export interface Measured {
  sttMs: { p50: number; p95: number };
  embeddingMs: { p50: number; p95: number };
  llmFirstTokenMs: { p50: number; p95: number };
  tokensPerS: number;
  ttsFirstByteMs: { p50: number; p95: number };
  endpointMs: number;
}

export interface Prediction {
  p50: number;
  p95: number;
  target: number;
  meets_target: boolean;
  /** The stage with the largest share of the p95 when it misses the target (else null). */
  breaking_stage: string | null;
  stages_p95: Record<string, number>;
  /** The provider latencies (p50) in the benchmark's shape, for `npm run bench -- --url ... --latencies <file>`. */
  bench_latencies: BenchLatencies;
}

function latencies(m: Measured, q: 'p50' | 'p95'): BenchLatencies {
  return {
    sttMs: m.sttMs[q],
    embeddingMs: m.embeddingMs[q],
    llmFirstTokenMs: m.llmFirstTokenMs[q],
    llmPerTokenMs: m.tokensPerS > 0 ? 1000 / m.tokensPerS : 0,
    ttsFirstByteMs: m.ttsFirstByteMs[q],
    ttsMsPerChar: 0,
    endpointMs: m.endpointMs,
  };
}

// The shape of a turn in this pipeline: the final is transcribed 160 ms into the end-of-turn
// silence, and the documents are looked up from it (not early: the conservative case).
const SHAPE = { retrieval: true, retrievalEarly: false, transcriptEarly: true, finalAudioReadyMs: 160, preemptive: null, settledMs: 160 };

/** End of speech -> first audio with these servers, by the benchmark's own ideal formula plus the app's overhead. */
export function predictFirstAudio(m: Measured): Prediction {
  const at = (q: 'p50' | 'p95'): number =>
    Math.round(idealTtsStartMs(latencies(m, q), FIRST_CLAUSE.tokens, FIRST_CLAUSE.chars, SHAPE) + APP_OVERHEAD_MS[q]);
  const l = latencies(m, 'p95');
  const stages = {
    endpoint_silence: l.endpointMs,
    stt_final_after_endpoint: Math.round(Math.max(0, SHAPE.finalAudioReadyMs + l.sttMs - l.endpointMs)),
    retrieval_embedding: Math.round(l.embeddingMs),
    llm_first_token: Math.round(l.llmFirstTokenMs),
    llm_first_clause: Math.round((FIRST_CLAUSE.tokens - 1) * l.llmPerTokenMs),
    tts_first_audio: Math.round(l.ttsFirstByteMs),
    app: APP_OVERHEAD_MS.p95,
  };
  const p95 = at('p95');
  const worst = Object.entries(stages).filter(([k]) => k !== 'endpoint_silence').sort((a, b) => b[1] - a[1])[0]!;
  return { p50: at('p50'), p95, target: TARGET_MS, meets_target: p95 <= TARGET_MS, breaking_stage: p95 > TARGET_MS ? worst[0] : null, stages_p95: stages, bench_latencies: latencies(m, 'p50') };
}
