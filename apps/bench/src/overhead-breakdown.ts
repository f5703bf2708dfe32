import { summary, type BenchLatencies } from './latencies.ts';
import type { TurnFigures } from './run-turns.ts';

type Summary = ReturnType<typeof summary>;

export interface OverheadBreakdown {
  /** Each provider stage's time above its configured latency, as the server measured it (turn.metrics). */
  retrieval_ms: Summary;
  llm_first_token_ms: Summary;
  tts_first_audio_ms: Summary;
  /** The overhead the stages do not explain: framing, hand-offs between stages, pacing, the WebSocket. */
  rest_ms: Summary;
}

const excess = (v: number | null | undefined, configured: number): number => (typeof v === 'number' ? Math.max(0, v - configured) : 0);

/**
 * Where the overhead above the ideal goes, turn by turn: each stage's time above the configured
 * provider latency (an HTTP hop, our search, a stand-in slowed by the machine's load), and the rest
 * (all of it when the answer only waited for the final).
 */
export function overheadBreakdown(results: TurnFigures[], l: BenchLatencies): OverheadBreakdown {
  const rows = results.map((r) => {
    // A held answer that was ready before the final confirmed it: the end of turn is the critical
    // path, and the stages' times include the hold, so all of the overhead is the rest.
    if (r.preemptive !== null && r.idealTtsStartMs <= r.idealFinalMs) return { retrieval: 0, llm: 0, tts: 0, rest: r.overheadMs };
    const retrieval = r.stages['retrieval_ms'] !== null && r.stages['retrieval_ms'] !== undefined ? excess(r.stages['retrieval_ms'], l.embeddingMs) : 0;
    const llm = excess(r.stages['llm_first_token_ms'], l.llmFirstTokenMs);
    const tts = excess(r.stages['tts_first_audio_ms'], l.ttsFirstByteMs);
    return { retrieval, llm, tts, rest: r.overheadMs - retrieval - llm - tts };
  });
  return {
    retrieval_ms: summary(rows.map((x) => x.retrieval)),
    llm_first_token_ms: summary(rows.map((x) => x.llm)),
    tts_first_audio_ms: summary(rows.map((x) => x.tts)),
    rest_ms: summary(rows.map((x) => x.rest)),
  };
}

export function formatBreakdown(b: OverheadBreakdown): string {
  const f = (s: Summary): string => `${s.p50}/${s.p95}`;
  return `overhead by stage p50/p95 (ms above configured): retrieval ${f(b.retrieval_ms)}, llm first token ${f(b.llm_first_token_ms)}, tts first audio ${f(b.tts_first_audio_ms)}, rest ${f(b.rest_ms)}`;
}
