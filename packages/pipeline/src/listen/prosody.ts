import { rms } from '../audio/pcm.ts';

/**
 * Intonation at the end of an utterance: a small YIN pitch tracker over the last voiced stretch
 * before a silence. A statement or question that is finished usually ends with a fall in pitch
 * (final lowering); a speaker who holds the turn at a clause boundary keeps the pitch level or
 * lets it rise. Language-independent: only the audio is read.
 */

export interface PitchOptions {
  /** Sample rate of the audio (Hz). */
  rate: number;
  /** Lowest and highest fundamental frequency searched (Hz). */
  minF0: number;
  maxF0: number;
  /** Analysis window and hop (ms). */
  windowMs: number;
  hopMs: number;
  /** YIN threshold on the cumulative mean normalised difference: the first dip below it is the period. */
  threshold: number;
  /** Without such a dip, the deepest one is taken if below this (synthetic and breathy voices are rarely below 0.2); above it the frame is unvoiced. */
  maxAperiodicity: number;
  /** Frames quieter than this RMS (of full scale 1) are not voiced. */
  minRms: number;
}

export const defaultPitchOptions: PitchOptions = { rate: 16_000, minF0: 70, maxF0: 400, windowMs: 30, hopMs: 10, threshold: 0.2, maxAperiodicity: 0.45, minRms: 0.01 };

/** One analysed frame: its centre (ms from the start of the analysed audio) and f0 (Hz), or null when unvoiced. */
export interface PitchFrame {
  atMs: number;
  f0: number | null;
}

/** f0 of each frame of `pcm` (16-bit samples). */
export function trackPitch(pcm: Int16Array, opts: PitchOptions = defaultPitchOptions): PitchFrame[] {
  const win = Math.round((opts.windowMs * opts.rate) / 1000);
  const hop = Math.round((opts.hopMs * opts.rate) / 1000);
  const minLag = Math.floor(opts.rate / opts.maxF0);
  const maxLag = Math.ceil(opts.rate / opts.minF0);
  const x = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) x[i] = pcm[i]! / 32768;
  const frames: PitchFrame[] = [];
  const d = new Float32Array(maxLag + 1);
  for (let start = 0; start + win + maxLag <= x.length; start += hop) {
    const atMs = ((start + win / 2) / opts.rate) * 1000;
    frames.push({ atMs, f0: rms(x.subarray(start, start + win)) < opts.minRms ? null : yinFrame(x, start, win, minLag, maxLag, opts, d) });
  }
  return frames;
}

/** YIN (de Cheveigné & Kawahara 2002): difference function, cumulative mean normalisation, absolute threshold (else the global minimum), parabolic interpolation. */
function yinFrame(x: Float32Array, start: number, win: number, minLag: number, maxLag: number, opts: PitchOptions, d: Float32Array): number | null {
  d[0] = 1;
  let running = 0;
  for (let tau = 1; tau <= maxLag; tau++) {
    let s = 0;
    for (let i = start; i < start + win; i++) {
      const diff = x[i]! - x[i + tau]!;
      s += diff * diff;
    }
    running += s;
    d[tau] = running > 0 ? (s * tau) / running : 1;
  }
  let tau = -1;
  for (let t = minLag; t <= maxLag; t++) {
    if (d[t]! < opts.threshold) {
      while (t + 1 <= maxLag && d[t + 1]! < d[t]!) t++;
      tau = t;
      break;
    }
  }
  if (tau < 0) {
    for (let t = minLag; t <= maxLag; t++) if (tau < 0 || d[t]! < d[tau]!) tau = t;
    if (d[tau]! >= opts.maxAperiodicity) return null;
  }
  const a = d[tau - 1] ?? d[tau]!;
  const c = d[tau + 1] ?? d[tau]!;
  const denom = a - 2 * d[tau]! + c;
  const shift = denom > 0 ? (a - c) / (2 * denom) : 0;
  return opts.rate / (tau + Math.max(-1, Math.min(1, shift)));
}

/** The pitch movement at the end of an utterance. */
export interface FinalContour {
  /** Least-squares slope of pitch over the final voiced stretch (semitones per second). */
  slope: number;
  /** Median pitch of the last 100 ms of voicing relative to the median of the whole stretch (semitones). */
  finalDrop: number;
  /** Final pitch relative to the utterance's median pitch (semitones): how low the voice ended. */
  endVsMedian: number;
  /** Voiced frames used. */
  frames: number;
}

/** Options for reading the end of an utterance. */
export interface ContourOptions {
  /** How much voiced speech before the end is read (ms). */
  spanMs: number;
  /** Fewer voiced frames than this say nothing. */
  minFrames: number;
}

export const defaultContourOptions: ContourOptions = { spanMs: 350, minFrames: 8 };

/** Pitch contour of the last voiced `spanMs` of `pcm` (the utterance up to its silence). */
export function finalContour(pcm: Int16Array, pitch: PitchOptions = defaultPitchOptions, opts: ContourOptions = defaultContourOptions): FinalContour | null {
  const frames = trackPitch(pcm, pitch);
  const voiced = removeOctaveJumps(frames.filter((f): f is { atMs: number; f0: number } => f.f0 !== null));
  if (voiced.length < opts.minFrames) return null;
  const endMs = voiced.at(-1)!.atMs;
  const tail = voiced.filter((f) => f.atMs >= endMs - opts.spanMs);
  if (tail.length < opts.minFrames) return null;
  const st = (f0: number) => 12 * Math.log2(f0);
  const all = median(voiced.map((f) => st(f.f0)));
  const tailSt = tail.map((f) => st(f.f0));
  const last = median(tail.filter((f) => f.atMs >= endMs - 100).map((f) => st(f.f0)));
  return { slope: slopeOf(tail.map((f) => f.atMs / 1000), tailSt), finalDrop: last - median(tailSt), endVsMedian: last - all, frames: tail.length };
}

/** Drops frames an octave away from their neighbours' median (YIN's typical errors). */
function removeOctaveJumps<T extends { atMs: number; f0: number }>(frames: T[]): T[] {
  return frames.filter((f, i) => {
    const near = frames.slice(Math.max(0, i - 3), i + 4).map((g) => g.f0);
    return Math.abs(12 * Math.log2(f.f0 / median(near))) < 5;
  });
}

function median(v: number[]): number {
  if (v.length === 0) return 0;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function slopeOf(t: number[], y: number[]): number {
  const n = t.length;
  const mt = t.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (t[i]! - mt) * (y[i]! - my);
    den += (t[i]! - mt) ** 2;
  }
  return den > 0 ? num / den : 0;
}

/** What the end of an utterance's pitch says: a fall (final lowering), a rise, level, or nothing (too little voicing). */
export type Intonation = 'fall' | 'rise' | 'level';

export interface IntonationOptions {
  /** A final movement of at least this many semitones (over the read span, or in its last 100 ms) counts as a fall or rise. */
  minMoveSt: number;
}

export const defaultIntonationOptions: IntonationOptions = { minMoveSt: 1.5 };

/**
 * Fall, rise or level from a contour. The last 100 ms decide when they move clearly (a final rise
 * after a falling stretch is a rise); otherwise the movement over the whole span does.
 */
export function intonationOf(c: FinalContour | null, spanMs = defaultContourOptions.spanMs, opts: IntonationOptions = defaultIntonationOptions): Intonation | null {
  if (!c) return null;
  const half = opts.minMoveSt / 2;
  if (c.finalDrop >= half * 2) return 'rise';
  if (c.finalDrop <= -half * 2) return 'fall';
  const move = (c.slope * spanMs) / 1000;
  if (move >= opts.minMoveSt && c.finalDrop > -half) return 'rise';
  if (move <= -opts.minMoveSt && c.finalDrop < half) return 'fall';
  return 'level';
}
