/**
 * Spectral envelope of the last ~21 ms of speech in 13 bands (100 Hz..4 kHz, dB relative to the
 * loudest band, floored at -50) and its nearest mouth shape among templates of the five vowels and
 * of a nasal / closed-lip murmur (ん, m, b).
 *
 * The templates are medians measured on Japanese speech with known phoneme timing (Open JTalk,
 * nitech m001 voice, see lip-sync-japanese.test.ts). They follow the textbook formants: あ F1 high
 * (500-900 Hz); い F1 low with F2/F3 near 3 kHz; う F1 low, flat above; え F1 mid with F2 near 2 kHz;
 * お F1 mid and nothing above 1 kHz; the nasal murmur all below 500 Hz.
 */
import { fft } from './fft.ts';
import type { Vowel } from './lip-sync.ts';

export const PROFILE_EDGES_HZ = [100, 300, 500, 700, 900, 1100, 1300, 1600, 1900, 2200, 2600, 3000, 3500, 4000] as const;
const FLOOR_DB = -50;

export type MouthShape = Vowel | 'closed';

export const SHAPE_TEMPLATES: Readonly<Record<MouthShape, readonly number[]>> = {
  aa: [-6, -7, 0, -9, -16, -15, -23, -34, -33, -33, -35, -38, -45],
  ih: [0, -10, -29, -35, -42, -46, -47, -41, -35, -38, -34, -29, -36],
  ou: [0, -6, -23, -35, -39, -38, -35, -36, -36, -40, -45, -40, -45],
  ee: [-3, 0, -11, -28, -35, -38, -35, -28, -27, -28, -32, -29, -36],
  oh: [-4, 0, -7, -16, -23, -35, -44, -48, -46, -44, -41, -47, -50],
  closed: [0, -9, -23, -26, -30, -39, -44, -45, -39, -42, -49, -50, -50],
};

/**
 * Band profile from a dB spectrum whose bin k is at k * binHz. `warp` scales the band edges: a voice
 * whose formants sit `warp` times higher than the templates' (a shorter vocal tract) matches them.
 */
export function profileFromDb(db: (k: number) => number, bins: number, binHz: number, warp = 1): number[] {
  const out: number[] = [];
  for (let b = 0; b + 1 < PROFILE_EDGES_HZ.length; b++) {
    const lo = Math.floor((PROFILE_EDGES_HZ[b]! * warp) / binHz);
    const hi = Math.min(bins - 1, Math.ceil((PROFILE_EDGES_HZ[b + 1]! * warp) / binHz));
    let sum = 0;
    for (let k = lo; k <= hi; k++) sum += db(k);
    out.push(hi >= lo ? sum / (hi - lo + 1) : -200);
  }
  const max = Math.max(...out);
  return out.map((v) => Math.max(FLOOR_DB, Number.isFinite(v - max) ? v - max : FLOOR_DB));
}

/** Power-of-two window of about 21 ms (1024 samples at 44.1/48 kHz). */
export function shortWindowSize(sampleRate: number, available: number): number {
  const n = 2 ** Math.round(Math.log2(Math.max(64, sampleRate * 0.0213)));
  return Math.min(n, 2 ** Math.floor(Math.log2(Math.max(1, available))));
}

const hannCache = new Map<number, Float64Array>();
function hann(n: number): Float64Array {
  let w = hannCache.get(n);
  if (!w) {
    w = new Float64Array(n).map((_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)));
    hannCache.set(n, w);
  }
  return w;
}

export interface ShortSpectrum {
  db: (k: number) => number;
  bins: number;
  binHz: number;
}

/** dB spectrum of the most recent ~21 ms of `time` (a short window: recent, and smooth over harmonics). */
export function spectrumFromTime(time: Float32Array, sampleRate: number): ShortSpectrum | undefined {
  const n = shortWindowSize(sampleRate, time.length);
  if (n < 64) return undefined;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const w = hann(n);
  const from = time.length - n;
  for (let i = 0; i < n; i++) {
    const v = time[from + i] ?? 0;
    re[i] = (Number.isFinite(v) ? v : 0) * w[i]!;
  }
  fft(re, im);
  const db = new Float64Array(n / 2 + 1).map((_, k) => 20 * Math.log10(Math.hypot(re[k]!, im[k]!) / n + 1e-9));
  return { db: (k) => db[k] ?? -180, bins: db.length, binHz: sampleRate / n };
}

/** Formant scale factors tried for a voice (0.85: a longer vocal tract .. 1.26: a shorter one). */
export const SPEAKER_WARPS = [0.85, 0.92, 1, 1.08, 1.17, 1.26] as const;

/**
 * Which formant scale fits the voice being heard: a running average, per warp, of how near the
 * nearest vowel template was. Kept by the caller across frames (one per voice / session).
 */
export interface SpeakerWarp {
  fit: number[] | null;
}

export function createSpeakerWarp(): SpeakerWarp {
  return { fit: null };
}

/** Updates `state` with this voiced frame and returns the warp that fits the voice best so far. */
export function adaptWarp(state: SpeakerWarp, spectrum: ShortSpectrum): number {
  const vowels: MouthShape[] = ['aa', 'ih', 'ou', 'ee', 'oh'];
  const now = SPEAKER_WARPS.map((w) => Math.min(...shapeDistances(profileFromDb(spectrum.db, spectrum.bins, spectrum.binHz, w), vowels).values()));
  state.fit = state.fit ? state.fit.map((f, i) => 0.97 * f + 0.03 * now[i]!) : now;
  let best = 0;
  for (let i = 1; i < state.fit.length; i++) if (state.fit[i]! < state.fit[best]!) best = i;
  return SPEAKER_WARPS[best]!;
}

/** Mean squared distance (dB²) of a profile to each shape's template. */
export function shapeDistances(profile: readonly number[], shapes: readonly MouthShape[]): Map<MouthShape, number> {
  const out = new Map<MouthShape, number>();
  for (const s of shapes) {
    const t = SHAPE_TEMPLATES[s];
    let d = 0;
    for (let i = 0; i < t.length; i++) d += ((profile[i] ?? FLOOR_DB) - t[i]!) ** 2;
    out.set(s, d / t.length);
  }
  return out;
}
