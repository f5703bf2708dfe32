import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StreamingResampler, resampleOnce } from './resampler.ts';
import { concatPcm, rms } from './pcm.ts';
import { bestCorrelation, goForward, sine } from '@va/testkit';

function streamInChunks(from: number, to: number, pcm: Int16Array, cuts: number[]): Int16Array {
  const r = new StreamingResampler(from, to);
  const parts: Int16Array[] = [];
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    parts.push(r.process(pcm.subarray(prev, c)));
    prev = c;
  }
  parts.push(r.process(pcm.subarray(prev)));
  parts.push(r.flush());
  return concatPcm(parts);
}

const PAIRS: Array<[number, number]> = [
  [48000, 16000],
  [44100, 48000],
  [22050, 48000],
  [24000, 48000],
  [16000, 48000],
  [44100, 16000],
];

describe('StreamingResampler', () => {
  it.each(PAIRS)('%i -> %i gives ceil(n * to / from) samples', (from, to) => {
    for (const n of [0, 1, 7, 1000, 4411]) {
      expect(resampleOnce(new Int16Array(n).fill(1000), from, to).length).toBe(Math.ceil((n * to) / from));
    }
  });

  it('chunk boundaries anywhere give the same output as one call (property)', () => {
    const speech = goForward().pcm.subarray(8000, 8000 + 3000);
    fc.assert(
      fc.property(
        fc.constantFrom(...PAIRS),
        fc.array(fc.integer({ min: 0, max: speech.length }), { maxLength: 12 }),
        ([from, to], cuts) => {
          const whole = resampleOnce(speech, from, to);
          expect(streamInChunks(from, to, speech, cuts)).toEqual(whole);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('passes in-band tones at unit gain and the right frequency', () => {
    const input = sine(1000, 48000, 48000);
    const out = resampleOnce(input, 48000, 16000);
    const body = out.subarray(1000, 15000);
    expect(rms(body) / rms(input)).toBeGreaterThan(0.99);
    expect(rms(body) / rms(input)).toBeLessThan(1.01);
    const ref = sine(1000, 16000, 16000);
    const { lag, r } = bestCorrelation(ref.subarray(1000, 15000), out.subarray(1000, 15000), 4);
    expect(lag).toBe(0);
    expect(r).toBeGreaterThan(0.999);
  });

  it('removes content above the new Nyquist (anti-aliasing)', () => {
    for (const f of [9000, 12000, 20000]) {
      const out = resampleOnce(sine(f, 48000, 48000), 48000, 16000);
      const attenuationDb = 20 * Math.log10(rms(out.subarray(500, 15500)) / rms(sine(f, 48000, 48000)) + 1e-12);
      expect(attenuationDb).toBeLessThan(-60);
    }
  });

  it('upsampling 44.1k -> 48k keeps speech (correlates with the source)', () => {
    const speech16 = goForward().pcm;
    const speech44 = resampleOnce(speech16, 16000, 44100);
    const back = resampleOnce(resampleOnce(speech44, 44100, 48000), 48000, 16000);
    const { lag, r } = bestCorrelation(speech16, back, 3);
    expect(lag).toBe(0);
    expect(r).toBeGreaterThan(0.99);
  });

  it('equal rates are an exact copy', () => {
    const s = goForward().pcm.subarray(0, 5000);
    expect(resampleOnce(s, 16000, 16000)).toEqual(s);
  });

  it('accepts Float32 input in [-1, 1]', () => {
    const f = new Float32Array(4800).fill(0.5);
    const out = resampleOnce(f, 48000, 16000);
    expect(out[800]).toBe(16384);
  });
});
