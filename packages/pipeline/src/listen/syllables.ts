import { rms } from '../audio/pcm.ts';

/**
 * Syllable nuclei in a burst of speech, from its loudness alone: each syllable's vowel is a peak
 * in the 10 ms level curve, set off from the one before by a dip. Language-independent and cheap;
 * it over- or under-counts by one now and then (a diphthong, a nasal), so only a clear excess is
 * used: a backchannel (yeah, uh-huh, mm-hm, okay, right) has one to three syllables.
 */
export interface NucleiOptions {
  /** A peak must rise this far above the dip before it, and the next dip fall this far below it (dB). */
  prominenceDb: number;
  /** Peaks more than this far below the loudest level are not nuclei (dB). */
  rangeDb: number;
  /** A nucleus stays within 3 dB of its peak this many 10 ms frames (a vowel; a plosive's burst is shorter). */
  minFrames: number;
}

export const defaultNucleiOptions: NucleiOptions = { prominenceDb: 5, rangeDb: 25, minFrames: 3 };

/** Number of syllable nuclei in a run of 10 ms RMS levels (linear, full scale 1); levels below `floor` are silence. */
export function countNuclei(levels: readonly number[], floor = 0, opts: NucleiOptions = defaultNucleiOptions): number {
  const db = levels.map((v) => 20 * Math.log10(Math.max(v, floor, 1e-6)));
  const sm = db.map((v, i) => (db[i - 1] ?? v) / 4 + v / 2 + (db[i + 1] ?? v) / 4);
  if (sm.length === 0) return 0;
  const top = Math.max(...sm);
  let count = 0;
  let rising = true;
  let ref = Number.POSITIVE_INFINITY; // the dip while rising, the peak while falling
  for (let i = 0; i < sm.length; i++) {
    const v = sm[i]!;
    if (rising) {
      ref = Math.min(ref, v);
      const peak = v >= (sm[i - 1] ?? Number.NEGATIVE_INFINITY) && v > (sm[i + 1] ?? Number.NEGATIVE_INFINITY);
      if (peak && v - ref >= opts.prominenceDb && v > top - opts.rangeDb && levels[i]! > floor && widthAt(sm, i) >= opts.minFrames) {
        count++;
        rising = false;
        ref = v;
      }
    } else {
      ref = Math.max(ref, v);
      if (v <= ref - opts.prominenceDb) {
        rising = true;
        ref = v;
      }
    }
  }
  return count;
}

/** Frames around peak `i` within 3 dB of it. */
function widthAt(sm: readonly number[], i: number): number {
  const near = (j: number) => j >= 0 && j < sm.length && sm[j]! >= sm[i]! - 3;
  let a = i;
  let b = i;
  while (near(a - 1)) a--;
  while (near(b + 1)) b++;
  return b - a + 1;
}

/** 10 ms RMS levels of 16-bit audio at `rate`. */
export function levelsOf(pcm: Int16Array, rate: number): number[] {
  const n = Math.round(rate / 100);
  const out: number[] = [];
  for (let s = 0; s + n <= pcm.length; s += n) out.push(rms(pcm.subarray(s, s + n)));
  return out;
}
