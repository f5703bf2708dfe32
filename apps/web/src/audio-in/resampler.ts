/**
 * Streaming mono resampler: linear interpolation, preceded by a windowed-sinc low-pass when
 * downsampling (so e.g. 96 kHz -> 48 kHz does not alias). Chunk boundaries are seamless:
 * feeding a signal in any split gives the same output as feeding it whole.
 * Pure TypeScript: used for capture (context rate -> 48 kHz) and playback (48 kHz -> context rate).
 */
export class StreamResampler {
  readonly inRate: number;
  readonly outRate: number;
  private readonly step: number;
  private t = 1;
  private prev = 0;
  private readonly lowpass: FirLowpass | null;

  constructor(inRate: number, outRate: number) {
    if (!(inRate > 0 && outRate > 0)) throw new RangeError('sample rates must be positive');
    this.inRate = inRate;
    this.outRate = outRate;
    this.step = inRate / outRate;
    this.lowpass = outRate < inRate ? new FirLowpass((0.45 * outRate) / inRate) : null;
  }

  /** Resamples one chunk; returns a new array (possibly empty). */
  process(chunk: Float32Array): Float32Array {
    if (this.inRate === this.outRate) return chunk.slice();
    const input = this.lowpass ? this.lowpass.process(chunk) : chunk;
    const n = input.length;
    if (n === 0) return new Float32Array(0);
    const out = new Float32Array(Math.ceil((n - this.t) / this.step) + 1);
    let count = 0;
    let t = this.t;
    while (t < n) {
      const i = Math.floor(t);
      const frac = t - i;
      const a = i === 0 ? this.prev : (input[i - 1] as number);
      const b = input[i] as number;
      out[count++] = a + (b - a) * frac;
      t += this.step;
    }
    this.t = t - n;
    this.prev = input[n - 1] as number;
    return count === out.length ? out : out.subarray(0, count);
  }

  reset(): void {
    this.t = 1;
    this.prev = 0;
    this.lowpass?.reset();
  }
}

/** Streaming FIR low-pass (Blackman-windowed sinc). `cutoff` is a fraction of the input rate (0..0.5). */
export class FirLowpass {
  private readonly taps: Float32Array;
  private readonly history: Float32Array;

  constructor(cutoff: number, length = 33) {
    const taps = new Float32Array(length);
    const mid = (length - 1) / 2;
    let sum = 0;
    for (let i = 0; i < length; i++) {
      const x = i - mid;
      const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
      const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (length - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (length - 1));
      taps[i] = sinc * w;
      sum += sinc * w;
    }
    for (let i = 0; i < length; i++) taps[i] = (taps[i] as number) / sum;
    this.taps = taps;
    this.history = new Float32Array(length - 1);
  }

  process(chunk: Float32Array): Float32Array {
    const h = this.history.length;
    const buf = new Float32Array(h + chunk.length);
    buf.set(this.history, 0);
    buf.set(chunk, h);
    const out = new Float32Array(chunk.length);
    const taps = this.taps;
    for (let n = 0; n < chunk.length; n++) {
      let acc = 0;
      for (let k = 0; k < taps.length; k++) acc += (taps[k] as number) * (buf[n + h - k] as number);
      out[n] = acc;
    }
    this.history.set(buf.subarray(buf.length - h));
    return out;
  }

  reset(): void {
    this.history.fill(0);
  }
}
