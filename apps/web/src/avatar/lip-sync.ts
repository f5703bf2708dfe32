/**
 * Lip sync as a pure function: analyser frequency data -> vowel weights (aa/ih/ou/ee/oh).
 *
 * Vowels are told apart by where their first two formants sit (F1: jaw opening, F2: tongue front/back):
 *   aa: high F1 (~800 Hz), mid F2      ih: low F1, very high F2 (~2500 Hz)
 *   ou: low F1, low F2 (~900 Hz)        ee: mid F1, high F2 (~2100 Hz)     oh: mid F1, low F2
 * Band energies give scores; the loudness (noise-gated) decides how far the mouth opens, and only the two
 * strongest vowels are used, blended by their scores. smoothWeights adds attack/release so the mouth moves
 * like a mouth rather than a level meter.
 */

export interface VowelWeights {
  aa: number;
  ih: number;
  ou: number;
  ee: number;
  oh: number;
}

export type Vowel = keyof VowelWeights;
export const VOWELS: readonly Vowel[] = ['aa', 'ih', 'ou', 'ee', 'oh'];

export const ZERO_WEIGHTS: Readonly<VowelWeights> = Object.freeze({ aa: 0, ih: 0, ou: 0, ee: 0, oh: 0 });

export interface LipSyncInput {
  /** AnalyserNode.getByteFrequencyData (0..255) or getFloatFrequencyData (dBFS) output */
  freqData: Uint8Array | Float32Array;
  /** optional getFloatTimeDomainData output, used for a more accurate loudness */
  timeData?: Float32Array;
  sampleRate: number;
  fftSize: number;
}

export interface LipSyncOptions {
  /** level (0..1 of the analyser's dB range) at which the mouth starts to open */
  noiseFloor?: number;
  /** level at which the mouth is fully open */
  fullLevel?: number;
  /** dB range of float frequency data (AnalyserNode defaults) */
  minDecibels?: number;
  maxDecibels?: number;
}

const finite = (v: number): number => (Number.isFinite(v) ? v : 0);
const clamp01 = (v: number): number => Math.min(1, Math.max(0, finite(v)));

/** Mean dB-scaled level (0..1) of the bins between lo and hi Hz. */
function bandLevel(levels: (i: number) => number, bins: number, binHz: number, lo: number, hi: number): number {
  const a = Math.max(1, Math.floor(lo / binHz));
  const b = Math.min(bins - 1, Math.ceil(hi / binHz));
  if (b < a) return 0;
  let sum = 0;
  for (let i = a; i <= b; i++) sum += levels(i);
  return sum / (b - a + 1);
}

function rmsLevel(timeData: Float32Array): number {
  if (timeData.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < timeData.length; i++) {
    const v = finite(timeData[i] ?? 0);
    sum += v * v;
  }
  const rms = Math.sqrt(sum / timeData.length);
  if (rms <= 1e-6) return 0;
  // -60 dBFS -> 0 .. 0 dBFS -> 1, the same scale as the byte spectrum's levels
  return clamp01((20 * Math.log10(rms) + 60) / 60);
}

export function computeVowelWeights(input: LipSyncInput, opts: LipSyncOptions = {}): VowelWeights {
  const { freqData, sampleRate, fftSize } = input;
  const bins = freqData.length;
  if (bins < 8 || !(sampleRate > 0) || !(fftSize > 0)) return { ...ZERO_WEIGHTS };
  const minDb = opts.minDecibels ?? -100;
  const maxDb = opts.maxDecibels ?? -30;
  const isByte = freqData instanceof Uint8Array;
  const levels = (i: number): number => {
    const v = freqData[i] ?? 0;
    if (isByte) return v / 255;
    return Number.isFinite(v) ? clamp01((v - minDb) / (maxDb - minDb)) : 0;
  };
  const binHz = sampleRate / fftSize;

  const low = bandLevel(levels, bins, binHz, 150, 500);
  const mid = bandLevel(levels, bins, binHz, 500, 950);
  const upper = bandLevel(levels, bins, binHz, 950, 1600);
  const high = bandLevel(levels, bins, binHz, 1800, 3400);

  const spectral = Math.max(low, mid, upper, high);
  const level = input.timeData ? Math.max(rmsLevel(input.timeData), spectral * 0.9) : spectral;
  const floor = opts.noiseFloor ?? (input.timeData ? 0.3 : 0.35);
  const full = opts.fullLevel ?? 0.72;
  const open = clamp01((level - floor) / (full - floor));
  if (open <= 0) return { ...ZERO_WEIGHTS };

  const total = low + mid + upper + high + 1e-6;
  const [l, m, u, h] = [low / total, mid / total, upper / total, high / total];
  const scores: VowelWeights = {
    aa: Math.max(0, 0.6 * m + 1.0 * u + 0.2 * h - 0.2 * l) + 0.05,
    ih: Math.max(0, 1.2 * h + 0.5 * l - 0.6 * u - 0.3 * m),
    ou: Math.max(0, 1.1 * l + 0.3 * m - 0.8 * h - 0.2 * u),
    ee: Math.max(0, 0.9 * h + 0.5 * m - 0.3 * l - 0.2 * u),
    oh: Math.max(0, 0.8 * m + 0.5 * l + 0.2 * u - 0.8 * h),
  };
  return blendTopTwo(scores, open);
}

/** Keeps the two best-scoring vowels: the best opens by `open`, the runner-up blends in proportionally. */
function blendTopTwo(scores: VowelWeights, open: number): VowelWeights {
  const ranked = [...VOWELS].sort((a, b) => scores[b] - scores[a]);
  const first = ranked[0] ?? 'aa';
  const second = ranked[1] ?? 'oh';
  const s1 = scores[first];
  const s2 = scores[second];
  const out: VowelWeights = { ...ZERO_WEIGHTS };
  if (!(s1 > 0)) {
    out.aa = open;
    return out;
  }
  const ratio = Math.min(1, s2 / s1);
  const w1 = open;
  const w2 = open * 0.5 * ratio;
  const scale = w1 + w2 > 1 ? 1 / (w1 + w2) : 1;
  out[first] = w1 * scale;
  out[second] = w2 * scale;
  return out;
}

export interface SmoothOptions {
  attackMs?: number;
  releaseMs?: number;
}

/** Exponential attack/release toward target; at most the two strongest vowels stay non-zero. */
export function smoothWeights(
  prev: VowelWeights,
  target: VowelWeights,
  dtSeconds: number,
  opts: SmoothOptions = {},
): VowelWeights {
  const attack = Math.max(1, opts.attackMs ?? 50);
  const release = Math.max(1, opts.releaseMs ?? 120);
  const dtMs = Math.min(250, Math.max(0, finite(dtSeconds))) * 1000;
  const out: VowelWeights = { ...ZERO_WEIGHTS };
  for (const v of VOWELS) {
    const p = clamp01(prev[v]);
    const t = clamp01(target[v]);
    const tau = t > p ? attack : release;
    const next = p + (t - p) * (1 - Math.exp(-dtMs / tau));
    out[v] = next < 1e-3 ? 0 : next;
  }
  const ranked = [...VOWELS].sort((a, b) => out[b] - out[a]);
  for (const v of ranked.slice(2)) out[v] = 0;
  return out;
}

export function mouthOpenness(w: VowelWeights): number {
  return Math.max(w.aa, w.ih, w.ou, w.ee, w.oh);
}
