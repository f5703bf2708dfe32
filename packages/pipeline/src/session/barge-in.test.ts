import { describe, expect, it } from 'vitest';
import { defaultSessionConfig } from './types.ts';
import { scriptedSession as harness } from './testing/scripted-session.ts';

/*
 * Speech while the avatar answers, with the judge on (session/barge-in.ts), on fake time:
 * scripted model servers, the rest real. The harness's STT answers with Japanese words by length.
 */
const LONG_ANSWER = ['はい、', '駐車場は', '正面と東側に', 'あります。', '合わせて', '三百台', 'とめられます。', '週末は', '混み合います。', '駅から', 'バスも', '出ています。'];
const judged = { bargeIn: defaultSessionConfig.bargeIn };

/**
 * The user asks (0.5-2.5 s), the avatar answers LONG_ANSWER, and the user speaks again over it
 * during `[from, to)` ms, heard as `words` (one word per `samplesPerWord` of audio), in Japanese.
 */
const judgedHarness = ([from, to]: [number, number], words: string[], samplesPerWord: number) =>
  harness({
    speech: (ms) => (ms >= 500 && ms < 2500) || (ms >= from && ms < to),
    answer: LONG_ANSWER, words, samplesPerWord, joiner: '', language: 'ja', config: judged,
  });

describe('speech during the answer (judge on)', () => {
  it('a short うん ducks the avatar at once, restores it, nods, and is not a turn; no segment is synthesised while ducked', async () => {
    const h = judgedHarness([4600, 4900], ['うん'], 100_000);
    await h.speak(12_000);
    const ducks = h.of('playback.duck');
    expect(ducks.map((d) => d.m.level)).toEqual([0.3, 1]);
    expect(ducks[0]!.at).toBeLessThanOrEqual(4600 + 100); // within a few VAD frames of the sound
    expect(h.of('playback.clear')).toHaveLength(0);
    expect(h.of('avatar_event').map((e) => e.m.event)).toContainEqual({ kind: 'gesture', name: 'nod' });
    expect(h.of('transcript.final')).toHaveLength(1); // the question only: うん was not a turn
    expect(h.p.llmCalls).toHaveLength(1);
    const [down, up] = [ducks[0]!.at, ducks[1]!.at];
    expect(h.p.ttsCalls.filter((c) => c.at > down && c.at < up)).toHaveLength(0);
    h.session.close();
  });

  it('other words interrupt: playback.clear, and the words become the next turn', async () => {
    const h = judgedHarness([4600, 5800], ['入園料は', 'いくら', 'ですか'], 6000);
    await h.speak(14_000);
    expect(h.of('playback.duck')[0]!.m.level).toBe(0.3);
    const clear = h.of('playback.clear')[0]!;
    expect(clear.m.reason).toBe('barge_in');
    expect(clear.at).toBeGreaterThan(4600);
    expect(clear.at).toBeLessThan(4600 + 1000);
    expect(h.p.llmCalls.length).toBeGreaterThanOrEqual(2); // the interruption was answered
    h.session.close();
  });

  it('while it is judged (そう… may become そうですね), its words are asked for every 150 ms of new audio instead of 300', async () => {
    const h = judgedHarness([4600, 5200], ['そう'], 100_000);
    await h.speak(8000);
    const asked = h.p.sttCalls.filter((c) => c.at >= 4600 && c.at < 5200);
    expect(asked.length).toBeGreaterThanOrEqual(3);
    const gaps = asked.slice(1).map((c, i) => (c.samples - asked[i]!.samples) / 16);
    expect(gaps.every((g) => g >= defaultSessionConfig.bargeIn!.partialIntervalMs && g < defaultSessionConfig.partialIntervalMs), gaps.join(' ')).toBe(true);
    expect(h.of('playback.clear')).toHaveLength(0);
    h.session.close();
  });
});
