import { execFileSync } from 'node:child_process';
import { hasJapaneseSpeechFixtures, japaneseSpeech, speechSpans } from '@va/testkit';
import { describe, expect, it } from 'vitest';
import { resampleOnce } from '../audio/resampler.ts';
import { decodeWavMono } from '../audio/wav.ts';
import { countNuclei, levelsOf } from './syllables.ts';

const RATE = 16_000;

/** `n` vowel-like bursts of 120 ms with 80 ms gaps, and a 15 ms click after each (a plosive's release). */
function bursts(n: number): Int16Array {
  const out = new Int16Array(Math.round(((n * 200 + 100) * RATE) / 1000));
  for (let k = 0; k < n; k++) {
    const start = Math.round(((50 + k * 200) * RATE) / 1000);
    for (let i = 0; i < (120 * RATE) / 1000; i++) out[start + i] = Math.round(8000 * Math.sin((2 * Math.PI * 150 * i) / RATE) * Math.sin((Math.PI * i) / ((120 * RATE) / 1000)));
    const click = start + (140 * RATE) / 1000;
    for (let i = 0; i < (15 * RATE) / 1000; i++) out[click + i] = i % 2 ? 3000 : -3000;
  }
  return out;
}

/** espeak-ng speech at 16 kHz, from its first loud 10 ms to the end. */
function espeak(text: string): number[] {
  const { sampleRate, pcm } = decodeWavMono(new Uint8Array(execFileSync('espeak-ng', ['-v', 'en-us', '--stdout', text])));
  const levels = levelsOf(resampleOnce(pcm, sampleRate, RATE), RATE);
  return levels.slice(Math.max(0, levels.findIndex((v) => v > 0.01) - 5));
}

describe('countNuclei', () => {
  it('counts one nucleus per vowel-like burst, not the clicks between them, and none in silence', () => {
    for (const n of [1, 2, 3, 5]) expect(countNuclei(levelsOf(bursts(n), RATE), 0.003)).toBe(n);
    expect(countNuclei(levelsOf(new Int16Array(RATE), RATE), 0.003)).toBe(0);
    expect(countNuclei([])).toBe(0);
  });

  it('English backchannels (espeak-ng) have at most three; a question has more within its first 600 ms', () => {
    for (const t of ['yeah', 'uh huh', 'right', 'okay', 'mm hmm']) expect(countNuclei(espeak(t), 0.003), t).toBeLessThanOrEqual(3);
    expect(countNuclei(espeak('what about the parking lot instead').slice(0, 65), 0.003)).toBeGreaterThanOrEqual(4);
    expect(countNuclei(espeak('what about the parking lot instead'), 0.003)).toBeGreaterThanOrEqual(7);
  });

  it.skipIf(!hasJapaneseSpeechFixtures())('Japanese (Open JTalk): うん and はい have one; a question has many', async () => {
    const count = async (text: string) => {
      const s = await japaneseSpeech(text, { sampleRate: RATE });
      const span = speechSpans(s.labels);
      const levels = levelsOf(s.pcm, RATE).slice(Math.floor(span[0]!.start * 100) - 5, Math.ceil(span.at(-1)!.end * 100) + 5);
      return countNuclei(levels, 0.003);
    };
    expect(await count('うん')).toBe(1);
    expect(await count('はい')).toBe(1);
    expect(await count('それより駐車場のことを聞きたいです')).toBeGreaterThanOrEqual(7);
  });
});
