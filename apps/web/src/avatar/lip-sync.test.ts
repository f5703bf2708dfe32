import { describe, expect, it } from 'vitest';
import { computeVowelWeights, mouthOpenness, smoothWeights, VOWELS, ZERO_WEIGHTS, type VowelWeights } from './lip-sync.ts';

const SR = 44100;
const FFT = 2048;
const BINS = FFT / 2;

/** Byte spectrum with the given level (0..255) in [lo,hi] Hz bands and `base` elsewhere. */
function spectrum(bands: Array<[number, number, number]>, base = 0): Uint8Array {
  const out = new Uint8Array(BINS).fill(base);
  for (const [lo, hi, level] of bands) {
    for (let i = Math.floor(lo / (SR / FFT)); i <= Math.ceil(hi / (SR / FFT)) && i < BINS; i++) out[i] = level;
  }
  return out;
}

const nonZero = (w: VowelWeights): number => VOWELS.filter((v) => w[v] > 0).length;

describe('computeVowelWeights', () => {
  it('keeps the mouth closed for silence and for a quiet noise floor', () => {
    expect(computeVowelWeights({ freqData: new Uint8Array(BINS), sampleRate: SR, fftSize: FFT })).toEqual(ZERO_WEIGHTS);
    expect(mouthOpenness(computeVowelWeights({ freqData: spectrum([], 60), sampleRate: SR, fftSize: FFT }))).toBe(0);
    const silentFloat = new Float32Array(BINS).fill(-Infinity);
    expect(
      computeVowelWeights({ freqData: silentFloat, timeData: new Float32Array(FFT), sampleRate: SR, fftSize: FFT }),
    ).toEqual(ZERO_WEIGHTS);
  });

  it('opens the mouth for loud broadband sound, using at most two vowels', () => {
    const w = computeVowelWeights({ freqData: spectrum([[100, 4000, 210]]), sampleRate: SR, fftSize: FFT });
    expect(mouthOpenness(w)).toBeGreaterThan(0.5);
    expect(nonZero(w)).toBeLessThanOrEqual(2);
  });

  it('tells vowels apart by formant bands', () => {
    const a = computeVowelWeights({
      freqData: spectrum([
        [700, 1400, 220],
        [150, 500, 120],
      ]),
      sampleRate: SR,
      fftSize: FFT,
    });
    const i = computeVowelWeights({
      freqData: spectrum([
        [200, 400, 220],
        [2200, 3200, 210],
      ]),
      sampleRate: SR,
      fftSize: FFT,
    });
    const u = computeVowelWeights({ freqData: spectrum([[200, 500, 230]]), sampleRate: SR, fftSize: FFT });
    const best = (w: VowelWeights): string => [...VOWELS].sort((x, y) => w[y] - w[x])[0] ?? '';
    expect(best(a)).toBe('aa');
    expect(best(i)).toBe('ih');
    expect(best(u)).toBe('ou');
  });

  it('accepts float dB data and time-domain loudness', () => {
    const db = new Float32Array(BINS).fill(-100);
    for (let k = 10; k < 180; k++) db[k] = -40;
    const time = new Float32Array(FFT).map((_, k) => 0.5 * Math.sin(k * 0.2));
    const w = computeVowelWeights({ freqData: db, timeData: time, sampleRate: SR, fftSize: FFT });
    expect(mouthOpenness(w)).toBeGreaterThan(0.3);
  });

  it('is safe with NaN, empty and nonsense input', () => {
    const nan = new Float32Array(BINS).fill(NaN);
    expect(
      computeVowelWeights({ freqData: nan, timeData: new Float32Array(FFT).fill(NaN), sampleRate: SR, fftSize: FFT }),
    ).toEqual(ZERO_WEIGHTS);
    expect(computeVowelWeights({ freqData: new Uint8Array(0), sampleRate: SR, fftSize: FFT })).toEqual(ZERO_WEIGHTS);
    expect(computeVowelWeights({ freqData: spectrum([[100, 4000, 255]]), sampleRate: 0, fftSize: FFT })).toEqual(
      ZERO_WEIGHTS,
    );
    const w = computeVowelWeights({ freqData: spectrum([[100, 4000, 255]]), sampleRate: NaN, fftSize: FFT });
    for (const v of VOWELS) expect(Number.isFinite(w[v])).toBe(true);
  });
});

describe('smoothWeights', () => {
  it('attacks faster than it releases', () => {
    const open: VowelWeights = { ...ZERO_WEIGHTS, aa: 1 };
    const up = smoothWeights(ZERO_WEIGHTS, open, 0.05);
    const down = smoothWeights(open, ZERO_WEIGHTS, 0.05);
    expect(up.aa).toBeGreaterThan(0.5);
    expect(1 - down.aa).toBeLessThan(up.aa);
    expect(down.aa).toBeGreaterThan(0.5);
  });

  it('converges to the target and rests at exactly zero', () => {
    let w: VowelWeights = { ...ZERO_WEIGHTS, oh: 1 };
    for (let k = 0; k < 120; k++) w = smoothWeights(w, ZERO_WEIGHTS, 1 / 60);
    expect(w).toEqual(ZERO_WEIGHTS);
  });

  it('keeps at most two vowels non-zero and survives NaN', () => {
    const prev: VowelWeights = { aa: 0.9, ih: 0.5, ou: 0.4, ee: 0.3, oh: 0.2 };
    const w = smoothWeights(prev, { ...ZERO_WEIGHTS, ee: 1 }, 1 / 60);
    expect(nonZero(w)).toBeLessThanOrEqual(2);
    const bad = smoothWeights({ ...prev, aa: NaN }, { ...ZERO_WEIGHTS, ih: NaN }, NaN);
    for (const v of VOWELS) expect(Number.isFinite(bad[v])).toBe(true);
  });
});
