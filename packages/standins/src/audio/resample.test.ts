import { describe, expect, it } from 'vitest';
import { resample } from './resample.ts';

const tone = (hz: number, rate: number, n: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));
const rms = (x: Float32Array, from = 200, to = x.length - 200): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / (to - from));
};

describe('resample', () => {
  it('keeps an in-band tone (length, amplitude, phase) when converting 22050 -> 44100 and 44100 -> 16000', () => {
    const up = resample(tone(440, 22_050, 22_050), 22_050, 44_100);
    expect(up.length).toBe(44_100);
    expect(rms(up)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    const ref = tone(440, 44_100, 44_100);
    expect(Math.max(...up.slice(1000, 2000).map((v, i) => Math.abs(v - ref[1000 + i]!)))).toBeLessThan(0.01);
    const down = resample(tone(1000, 44_100, 44_100), 44_100, 16_000);
    expect(down.length).toBe(16_000);
    expect(rms(down)).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  it('removes content above the new Nyquist frequency instead of aliasing it', () => {
    const down = resample(tone(10_000, 44_100, 44_100), 44_100, 16_000);
    expect(rms(down)).toBeLessThan(0.01);
  });
});
