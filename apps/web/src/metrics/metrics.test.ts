import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './stats.ts';
import { computeWaterfall, emptyMarks, markOnce, waterfallBars } from './waterfall.ts';
import { clientMetrics, recordCaptureToSend, recordTurn, summarizeClientMetrics } from './client-metrics.ts';

describe('waterfall', () => {
  it('computes consecutive stages of a voice turn', () => {
    const w = computeWaterfall({ speechEndMs: 1000, speechEndSource: 'vad', finalMs: 1300, firstTokenMs: 1450, firstAudioMs: 1900 });
    expect(w).toEqual({ waitMs: null, sttMs: 300, llmMs: 150, ttsMs: 450, totalMs: 900 });
    expect(waterfallBars(w)).toEqual({
      bars: [
        { key: 'stt', startMs: 0, durationMs: 300 },
        { key: 'llm', startMs: 300, durationMs: 150 },
        { key: 'tts', startMs: 450, durationMs: 450 },
      ],
      totalMs: 900,
    });
  });

  it('starts a voice turn where the user stopped: the end-of-turn wait the server reports comes first', () => {
    // the VAD's speech_end arrives when the server ends the turn, 240 ms after the user stopped
    const w = computeWaterfall({ speechEndMs: 1000, speechEndSource: 'vad', finalMs: 1010, firstTokenMs: 1200, firstAudioMs: 1500 }, { endpoint_ms: 240 });
    expect(w).toEqual({ waitMs: 240, sttMs: 10, llmMs: 190, ttsMs: 300, totalMs: 740 });
    expect(waterfallBars(w).bars.map((b) => [b.key, b.startMs])).toEqual([['wait', 0], ['stt', 240], ['llm', 250], ['tts', 440]]);
    // typed text has no end-of-turn wait, whatever the server says
    expect(computeWaterfall({ speechEndMs: 0, speechEndSource: 'text', finalMs: 5, firstTokenMs: 50, firstAudioMs: 300 }, { endpoint_ms: 240 }).waitMs).toBeNull();
  });

  it('leaves missing stages null (text-only answer, no audio)', () => {
    const w = computeWaterfall({ ...emptyMarks(), finalMs: 10, firstTokenMs: 30 });
    expect(w).toEqual({ waitMs: null, sttMs: null, llmMs: 20, ttsMs: null, totalMs: null });
  });

  it('uses the text send time as the start for typed input', () => {
    const w = computeWaterfall({ speechEndMs: 0, speechEndSource: 'text', finalMs: 20, firstTokenMs: 100, firstAudioMs: 400 });
    expect(w.totalMs).toBe(400);
  });

  it('clamps clock skew to zero and keeps only the first mark', () => {
    expect(computeWaterfall({ speechEndMs: 100, speechEndSource: 'vad', finalMs: 90, firstTokenMs: null, firstAudioMs: null }).sttMs).toBe(0);
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
    recordTurn({ turnId: 't', source: 'voice', speechEndSource: 'vad', waitMs: null, sttMs: 1, llmMs: 2, ttsMs: 3, totalMs: 6, server: null, interrupted: false });
    recordTurn({ turnId: 't', source: 'voice', speechEndSource: 'vad', waitMs: null, sttMs: 1, llmMs: 2, ttsMs: 3, totalMs: 7, server: null, interrupted: false });
    expect(clientMetrics.turns).toHaveLength(1);
    const s = summarizeClientMetrics();
    expect(s.captureToSendMs).toEqual({ count: 2, p50: 4, p95: 6 });
    expect(s.turnTotalMs.p50).toBe(7);
  });
});
