import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './stats.ts';
import type { TurnStages } from '@va/protocol';
import { computeWaterfall, emptyMarks, markOnce, splitAnswer, waterfallBars, type TurnMarks, type TurnMetricsRecord } from './waterfall.ts';
import { clientMetrics, recordCaptureToSend, recordTurn, summarizeClientMetrics } from './client-metrics.ts';

const marks = (m: Partial<TurnMarks>): TurnMarks => ({ ...emptyMarks(), ...m });
const stages = (s: Partial<TurnStages>): TurnStages => ({ stt_final_ms: null, retrieval_ms: null, llm_first_token_ms: null, tts_first_audio_ms: null, end_to_end_ms: null, endpoint_ms: null, ...s });

describe('waterfall', () => {
  it('starts a voice turn where the user stopped (capture clock) and ends it where the answer is heard', () => {
    // captured speech end 1000; the server's end of turn arrives 1300; final 1320; first packet 1900; audible 1930
    const m = marks({ speechEndMs: 1000, speechEndSource: 'capture', endOfTurnMs: 1300, finalMs: 1320, firstTokenMs: 1500, firstPacketMs: 1900, firstAudioMs: 1930 });
    const w = computeWaterfall(m, stages({ endpoint_ms: 240, retrieval_ms: 30, llm_first_token_ms: 200, tts_first_audio_ms: 250 }));
    // final -> first packet = 580: tts 250, llm 200, retrieval 30, other (tokens to the first clause, our code) 100
    expect(w).toEqual({ start: 'capture', waitMs: 300, sttMs: 20, retrievalMs: 30, llmMs: 200, otherMs: 100, ttsMs: 250, playoutMs: 30, totalMs: 930 });
    const { bars, totalMs } = waterfallBars(w);
    expect(bars.map((b) => [b.key, b.startMs, b.durationMs])).toEqual([
      ['wait', 0, 300],
      ['stt', 300, 20],
      ['retrieval', 320, 30],
      ['llm', 350, 200],
      ['other', 550, 100],
      ['tts', 650, 250],
      ['playout', 900, 30],
    ]);
    // the bars add up to the measured total
    expect(bars.reduce((t, b) => t + b.durationMs, 0)).toBe(totalMs);
  });

  it('shrinks the stages a preemptive answer ran during the silence: the interval after the final is split from its end', () => {
    // the answer was held and released by the final: 60 ms from final to first packet
    const m = marks({ speechEndMs: 0, speechEndSource: 'capture', endOfTurnMs: 400, finalMs: 410, firstTokenMs: 420, firstPacketMs: 470, firstAudioMs: 500 });
    const w = computeWaterfall(m, stages({ retrieval_ms: 25, llm_first_token_ms: 210, tts_first_audio_ms: 260 }));
    expect(w).toMatchObject({ waitMs: 400, sttMs: 10, ttsMs: 60, llmMs: 0, retrievalMs: 0, otherMs: 0, playoutMs: 30, totalMs: 500 });
  });

  it('uses the page marks for the answer until turn.metrics arrives', () => {
    const m = marks({ speechEndMs: 1000, speechEndSource: 'capture', endOfTurnMs: 1300, finalMs: 1320, firstTokenMs: 1500, firstPacketMs: 1900, firstAudioMs: 1930 });
    expect(computeWaterfall(m)).toMatchObject({ waitMs: 300, sttMs: 20, retrievalMs: null, llmMs: 180, otherMs: null, ttsMs: 400, playoutMs: 30, totalMs: 930 });
  });

  it('estimates the start from the server when the page could not map the speech end, and says so', () => {
    const m = marks({ speechEndSource: 'vad', endOfTurnMs: 1000, finalMs: 1010, firstTokenMs: 1200, firstPacketMs: 1450, firstAudioMs: 1500 });
    expect(computeWaterfall(m, stages({ endpoint_ms: 240 }))).toMatchObject({ start: 'estimate', waitMs: 240, sttMs: 10, totalMs: 740 });
    // without the server's figure the wait is unknown, and so is the total's start
    expect(computeWaterfall(m)).toMatchObject({ start: 'vad', waitMs: null, sttMs: 10, totalMs: 500 });
  });

  it('starts typed text at its send time, with no end-of-turn wait', () => {
    const m = marks({ speechEndMs: 0, speechEndSource: 'text', finalMs: 5, firstTokenMs: 50, firstPacketMs: 280, firstAudioMs: 300 });
    expect(computeWaterfall(m, stages({ endpoint_ms: 240 }))).toMatchObject({ start: 'text', waitMs: null, sttMs: 5, llmMs: 45, ttsMs: 230, playoutMs: 20, totalMs: 300 });
  });

  it('starts at the mic-off press when the user switched the mic off', () => {
    const m = marks({ speechEndMs: 100, speechEndSource: 'audio.end', endOfTurnMs: 160, finalMs: 300, firstAudioMs: 900 });
    expect(computeWaterfall(m)).toMatchObject({ start: 'audio.end', waitMs: 60, sttMs: 140, playoutMs: null, totalMs: 800 });
  });

  it('leaves missing stages null (text-only answer, no audio)', () => {
    const w = computeWaterfall(marks({ finalMs: 10, firstTokenMs: 30 }));
    expect(w).toEqual({ start: null, waitMs: null, sttMs: null, retrievalMs: null, llmMs: 20, otherMs: null, ttsMs: null, playoutMs: null, totalMs: null });
  });

  it('splits from the end: a stage the server did not report stays null', () => {
    expect(splitAnswer(500, { retrieval_ms: null, llm_first_token_ms: 200, tts_first_audio_ms: 250 })).toEqual({ retrievalMs: null, llmMs: 200, otherMs: 50, ttsMs: 250 });
    expect(splitAnswer(100, { retrieval_ms: 20, llm_first_token_ms: 200, tts_first_audio_ms: 250 })).toEqual({ retrievalMs: 0, llmMs: 0, otherMs: 0, ttsMs: 100 });
  });

  it('clamps clock skew to zero and keeps only the first mark', () => {
    expect(computeWaterfall(marks({ speechEndMs: 100, speechEndSource: 'capture', endOfTurnMs: 90, finalMs: 95 })).waitMs).toBe(0);
    let m = markOnce(emptyMarks(), 'firstTokenMs', 5);
    m = markOnce(m, 'firstTokenMs', 9);
    expect(m.firstTokenMs).toBe(5);
  });
});

describe('stats', () => {
  it('nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNull();
    expect(summarize([1, 2, 3])).toEqual({ count: 3, p50: 2, p95: 3 });
  });

  it('client metrics are kept and summarised', () => {
    recordCaptureToSend(4);
    recordCaptureToSend(6);
    const turn = (turnId: string, start: TurnMetricsRecord['start'], totalMs: number, playoutMs: number): TurnMetricsRecord => ({
      turnId, source: 'voice', speechEndSource: 'capture', marks: emptyMarks(), server: null, interrupted: false,
      start, waitMs: null, sttMs: 1, retrievalMs: null, llmMs: 2, otherMs: null, ttsMs: 3, playoutMs, totalMs,
    });
    recordTurn(turn('t', 'capture', 6, 20));
    recordTurn(turn('t', 'capture', 7, 25));
    expect(clientMetrics.turns).toHaveLength(1);
    recordTurn(turn('u', 'estimate', 900, 30)); // an estimated start is not a measured total
    const s = summarizeClientMetrics();
    expect(s.captureToSendMs).toEqual({ count: 2, p50: 4, p95: 6 });
    expect(s.turnTotalMs).toEqual({ count: 1, p50: 7, p95: 7 });
    expect(s.turnPlayoutMs).toEqual({ count: 2, p50: 25, p95: 30 });
  });
});
