import { describe, expect, it } from 'vitest';
import { DEFAULT_LATENCIES } from './latencies.ts';
import { overheadBreakdown } from './overhead-breakdown.ts';
import type { TurnFigures } from './run-turns.ts';

const turn = (overheadMs: number, stages: Record<string, number | null>): TurnFigures => ({
  clip: 'c', partialMs: [], finalMs: 0, ttsStartMs: 0, idealTtsStartMs: 800, overheadMs, wer: 0, vadEndOffsetMs: 0, serverEndToEndMs: null,
  stages, retrievalEarly: false, transcriptEarly: true, idealFinalMs: 300, preemptive: 'partial', wastedLlmCalls: 0, wastedTtsCalls: 0,
});

describe('overheadBreakdown', () => {
  it('splits each turn overhead into the stages above their configured latency and the rest', () => {
    const b = overheadBreakdown(
      [turn(36, { retrieval_ms: 34, llm_first_token_ms: 212, tts_first_audio_ms: 255 }), turn(10, { retrieval_ms: null, llm_first_token_ms: 199, tts_first_audio_ms: 252 })],
      DEFAULT_LATENCIES,
    );
    // turn 1: retrieval 14, llm 12, tts 5, rest 5; turn 2: no retrieval, llm below configured counts 0, tts 2, rest 8
    expect(b.retrieval_ms.p50).toBe(7);
    expect(b.llm_first_token_ms.p95).toBeCloseTo(11.4, 1);
    expect(b.tts_first_audio_ms.p50).toBe(3.5);
    expect(b.rest_ms.p50).toBe(6.5);
  });

  it('puts all of a held answer overhead in the rest when the final, not the answer, was the critical path', () => {
    const held = { ...turn(5, { retrieval_ms: 24, llm_first_token_ms: 203, tts_first_audio_ms: 881 }), idealTtsStartMs: 1400, idealFinalMs: 1400 };
    const b = overheadBreakdown([held], DEFAULT_LATENCIES);
    expect(b.tts_first_audio_ms.p50).toBe(0);
    expect(b.rest_ms.p50).toBe(5);
  });
});
