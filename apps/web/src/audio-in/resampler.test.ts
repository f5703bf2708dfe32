import { describe, expect, it } from 'vitest';
import { StreamResampler } from './resampler.ts';

function sine(freq: number, rate: number, n: number, offset = 0): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin((2 * Math.PI * freq * (i + offset)) / rate);
  return out;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('StreamResampler', () => {
  it('passes audio through unchanged at equal rates', () => {
    const r = new StreamResampler(48000, 48000);
    const x = sine(440, 48000, 500);
    expect(Array.from(r.process(x))).toEqual(Array.from(x));
  });

  it.each([
    [44100, 48000],
    [48000, 44100],
    [16000, 48000],
    [96000, 48000],
    [48000, 24000],
  ])('%i -> %i keeps the length ratio over many chunks', (inRate, outRate) => {
    const r = new StreamResampler(inRate, outRate);
    let inTotal = 0;
    let outTotal = 0;
    for (let i = 0; i < 200; i++) {
      const size = 128 + ((i * 37) % 300);
      inTotal += size;
      outTotal += r.process(new Float32Array(size)).length;
    }
    // At most one input sample is held back for interpolation.
    expect(Math.abs(outTotal - (inTotal * outRate) / inRate)).toBeLessThanOrEqual(Math.ceil(outRate / inRate) + 0.01);
  });

  it('is seamless across chunk boundaries (split == whole)', () => {
    const x = sine(1000, 44100, 4410);
    const whole = new StreamResampler(44100, 48000).process(x);
    const r = new StreamResampler(44100, 48000);
    const parts: Float32Array[] = [];
    for (let o = 0; o < x.length; ) {
      const size = 1 + ((o * 7919) % 257);
      parts.push(r.process(x.subarray(o, o + size)));
      o += size;
    }
    const split = concat(parts);
    expect(split.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) expect(split[i]).toBeCloseTo(whole[i] as number, 6);
  });

  it('reproduces a 1 kHz sine at the new rate (44.1k -> 48k)', () => {
    const out = new StreamResampler(44100, 48000).process(sine(1000, 44100, 44100));
    // Output sample k sits at input position k * 44100/48000 (the first output is input sample 0).
    const want = sine(1000, 48000, out.length);
    let err = 0;
    for (let i = 10; i < out.length - 10; i++) err = Math.max(err, Math.abs((out[i] as number) - (want[i] as number)));
    expect(err).toBeLessThan(0.02);
  });

  it('attenuates content above the new Nyquist when downsampling', () => {
    const out = new StreamResampler(96000, 48000).process(sine(30000, 96000, 9600));
    const tail = out.subarray(100);
    const rms = Math.sqrt(tail.reduce((s, v) => s + v * v, 0) / tail.length);
    expect(rms).toBeLessThan(0.05);
  });
});
