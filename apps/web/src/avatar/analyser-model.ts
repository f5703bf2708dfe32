/**
 * What a Web Audio AnalyserNode returns, computed outside a browser (Web Audio spec, "AnalyserNode
 * Interface": Blackman window, FFT scaled by 1/N, smoothing over time of the magnitudes, dB, then
 * bytes over [minDecibels, maxDecibels]). Lets lip sync be checked against real speech in Node.
 */

import { fft } from './fft.ts';

export { fft } from './fft.ts';

export interface AnalyserModelOptions {
  fftSize?: number;
  smoothingTimeConstant?: number;
  minDecibels?: number;
  maxDecibels?: number;
}

export interface AnalyserFrame {
  /** getByteFrequencyData */
  bytes: Uint8Array;
  /** getFloatFrequencyData (dB) */
  db: Float32Array;
  /** getFloatTimeDomainData: the last fftSize samples */
  time: Float32Array;
}

/** An AnalyserNode fed with `samples` (float, -1..1); `frameAt` is one get*Data call at a sample index. */
export class AnalyserModel {
  readonly fftSize: number;
  readonly frequencyBinCount: number;
  private readonly smoothing: number;
  private readonly minDb: number;
  private readonly maxDb: number;
  private readonly window: Float64Array;
  private readonly smoothed: Float64Array;

  constructor(
    private readonly samples: Float32Array,
    opts: AnalyserModelOptions = {},
  ) {
    this.fftSize = opts.fftSize ?? 2048;
    this.frequencyBinCount = this.fftSize / 2;
    this.smoothing = opts.smoothingTimeConstant ?? 0.8;
    this.minDb = opts.minDecibels ?? -100;
    this.maxDb = opts.maxDecibels ?? -30;
    const n = this.fftSize;
    this.window = new Float64Array(n).map((_, i) => 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / n) + 0.08 * Math.cos((4 * Math.PI * i) / n));
    this.smoothed = new Float64Array(this.frequencyBinCount);
  }

  /** The analyser's view when the most recent sample it has seen is `end` (exclusive). */
  frameAt(end: number): AnalyserFrame {
    const n = this.fftSize;
    const time = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const k = end - n + i;
      time[i] = k >= 0 && k < this.samples.length ? this.samples[k]! : 0;
    }
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    for (let i = 0; i < n; i++) re[i] = time[i]! * this.window[i]!;
    fft(re, im);
    const bytes = new Uint8Array(this.frequencyBinCount);
    const db = new Float32Array(this.frequencyBinCount);
    const scale = 255 / (this.maxDb - this.minDb);
    for (let k = 0; k < this.frequencyBinCount; k++) {
      const mag = Math.hypot(re[k]!, im[k]!) / n;
      const s = this.smoothing * this.smoothed[k]! + (1 - this.smoothing) * mag;
      this.smoothed[k] = Number.isFinite(s) ? s : 0;
      const d = 20 * Math.log10(this.smoothed[k]!);
      db[k] = d;
      bytes[k] = Math.max(0, Math.min(255, Math.floor(scale * (d - this.minDb))));
    }
    return { bytes, db, time };
  }
}
