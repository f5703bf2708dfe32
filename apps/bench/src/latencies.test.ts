import { describe, expect, it } from 'vitest';
import { classifyUtteranceEnd, defaultTurnEndOptions, PARTIAL_SILENCE_MS } from '@va/pipeline';
import { DEFAULT_LATENCIES, idealEndOfTurnMs, idealFinalMs } from './latencies.ts';

const l = DEFAULT_LATENCIES;

describe('idealEndOfTurnMs: the end of turn the pipeline\'s policy asks for these words', () => {
  it('a complete Japanese question ends once the early final has confirmed it (the complete-sentence silence, or the settled point + STT when later)', () => {
    expect(classifyUtteranceEnd('入園料はいくらですか？')).toBe('complete');
    expect(idealEndOfTurnMs(l, '入園料はいくらですか？', PARTIAL_SILENCE_MS)).toBe(Math.max(defaultTurnEndOptions.completeMs, PARTIAL_SILENCE_MS + l.sttMs));
    // a partial still being transcribed at the settled point delays the early final (provider time)
    expect(idealEndOfTurnMs(l, '入園料はいくらですか？', 300)).toBe(300 + l.sttMs);
    // the final then costs nothing after the end of turn
    const endpointMs = idealEndOfTurnMs(l, '入園料はいくらですか？', PARTIAL_SILENCE_MS);
    const shape = { retrieval: true, retrievalEarly: true, transcriptEarly: true, finalAudioReadyMs: PARTIAL_SILENCE_MS, preemptive: null, settledMs: PARTIAL_SILENCE_MS, endpointMs };
    expect(idealFinalMs(l, shape)).toBe(endpointMs);
  });

  it('words that announce more (continuation cue) wait up to the configured maximum', () => {
    expect(classifyUtteranceEnd('入園料は、')).toBe('continue');
    expect(idealEndOfTurnMs(l, '入園料は、', PARTIAL_SILENCE_MS)).toBe(l.endpointMs);
    expect(idealEndOfTurnMs({ ...l, endpointMs: 1600 }, '入園料は、', PARTIAL_SILENCE_MS)).toBe(1400);
  });
});
