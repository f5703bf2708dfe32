/**
 * Lip sync as a pure function: analyser data -> vowel weights (aa/ih/ou/ee/oh).
 *
 * With the analyser's time-domain data (what the page passes), the spectral envelope of the last
 * ~21 ms is matched against templates of the five vowels and of the nasal / closed-lip murmur
 * (ん, m, b: mouth shut); see vowel-profile.ts. The last ~10 ms decide how far the mouth opens, so
 * a closure shows while it is heard rather than one analyser window later. Only the two nearest
 * vowels are used, blended by their distance. With frequency data alone the analyser's spectrum
 * gives the envelope. smoothWeights adds attack/release so the mouth moves like a mouth rather
 * than a level meter; LIP_SYNC_SMOOTHING is what the avatar uses.
 *
 * Checked against Japanese speech with known phoneme timing in lip-sync-japanese.test.ts (frame
 * agreement on the five vowels and closed lips on silence / ん / m / b / p).
 */
import { adaptWarp, profileFromDb, shapeDistances, spectrumFromTime, type MouthShape, type SpeakerWarp } from './vowel-profile.ts';

export { createSpeakerWarp, type SpeakerWarp } from './vowel-profile.ts';

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

/** Loudness (0..1 for -60..0 dBFS) of the last ~10 ms: recent, so closures close the mouth in time. */
function recentLevel(timeData: Float32Array, sampleRate: number): number {
  const n = Math.min(timeData.length, Math.max(1, Math.round(sampleRate * 0.01)));
  let sum = 0;
  for (let i = timeData.length - n; i < timeData.length; i++) {
    const v = finite(timeData[i] ?? 0);
    sum += v * v;
  }
  const rms = Math.sqrt(sum / n);
  if (rms <= 1e-6) return 0;
  return clamp01((20 * Math.log10(rms) + 60) / 60);
}

/** Scores from template distances: 1 for the nearest, less for the others. */
function scoresFrom(distances: Map<MouthShape, number>): VowelWeights {
  const best = Math.min(...VOWELS.map((v) => distances.get(v) ?? Infinity));
  const scores: VowelWeights = { ...ZERO_WEIGHTS };
  for (const v of VOWELS) scores[v] = Math.exp(-((distances.get(v) ?? Infinity) - best) / 50);
  return scores;
}

/**
 * With time-domain data (what the page has): the spectral envelope of the last ~21 ms picks the
 * nearest vowel or the nasal/closed-lip murmur (mouth shut), the last ~10 ms set how far it opens.
 */
function weightsFromTime(timeData: Float32Array, sampleRate: number, opts: LipSyncOptions, speaker?: SpeakerWarp): VowelWeights | undefined {
  const spectrum = spectrumFromTime(timeData, sampleRate);
  if (!spectrum) return undefined;
  const floor = opts.noiseFloor ?? 0.25;
  const full = opts.fullLevel ?? 0.58;
  const open = clamp01((recentLevel(timeData, sampleRate) - floor) / (full - floor));
  if (open <= 0) return { ...ZERO_WEIGHTS };
  const warp = speaker ? adaptWarp(speaker, spectrum) : 1;
  const profile = profileFromDb(spectrum.db, spectrum.bins, spectrum.binHz, warp);
  // a murmur has its energy below 500 Hz; anything else is a vowel shape
  const murmurPossible = profile[0] === 0 || profile[1] === 0;
  const distances = shapeDistances(profile, murmurPossible ? [...VOWELS, 'closed'] : VOWELS);
  const closed = distances.get('closed');
  if (closed !== undefined && VOWELS.every((v) => closed < (distances.get(v) ?? Infinity))) return { ...ZERO_WEIGHTS };
  return blendTopTwo(scoresFrom(distances), open);
}

/**
 * `speaker` (from createSpeakerWarp, kept across frames) lets the vowel templates follow the voice's
 * formant scale (a higher or lower voice than the templates'); without it the templates are used as they are.
 */
export function computeVowelWeights(input: LipSyncInput, opts: LipSyncOptions = {}, speaker?: SpeakerWarp): VowelWeights {
  const { freqData, sampleRate, fftSize } = input;
  const bins = freqData.length;
  if (bins < 8 || !(sampleRate > 0) || !(fftSize > 0)) return { ...ZERO_WEIGHTS };
  const fromTime = input.timeData ? weightsFromTime(input.timeData, sampleRate, opts, speaker) : undefined;
  if (fromTime) return fromTime;

  // Frequency data only: loudness from the band levels, shape from the analyser's own spectrum.
  const minDb = opts.minDecibels ?? -100;
  const maxDb = opts.maxDecibels ?? -30;
  const isByte = freqData instanceof Uint8Array;
  const levels = (i: number): number => {
    const v = freqData[i] ?? 0;
    if (isByte) return v / 255;
    return Number.isFinite(v) ? clamp01((v - minDb) / (maxDb - minDb)) : 0;
  };
  const binHz = sampleRate / fftSize;
  const level = Math.max(...[[150, 500], [500, 950], [950, 1600], [1800, 3400]].map(([lo, hi]) => bandLevel(levels, bins, binHz, lo!, hi!)));
  const floor = opts.noiseFloor ?? 0.35;
  const full = opts.fullLevel ?? 0.72;
  const open = clamp01((level - floor) / (full - floor));
  if (open <= 0) return { ...ZERO_WEIGHTS };
  const profile = profileFromDb((k) => minDb + levels(k) * (maxDb - minDb), bins, binHz);
  return blendTopTwo(scoresFrom(shapeDistances(profile, VOWELS)), open);
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

/** Attack/release of the avatar's mouth: quick enough to close on a consonant closure (~50 ms). */
export const LIP_SYNC_SMOOTHING: Readonly<Required<SmoothOptions>> = Object.freeze({ attackMs: 20, releaseMs: 45 });

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
