/**
 * Streaming polyphase windowed-sinc resampler (Kaiser window) with an anti-aliasing low-pass.
 *
 * Output sample n is the band-limited value of the input at time n * from / to, computed from
 * the input samples around it; the filter is centred (zero delay), so the resampler holds back
 * `halfTaps` input samples of look-ahead until `flush()`. The result is a pure function of the
 * concatenated input: splitting the input into chunks anywhere gives bit-identical output.
 *
 * Float32 input is taken as [-1, 1] full scale, Int16 input as is; output is Int16, rounded and clipped.
 */

export interface ResamplerOptions {
  /** 'good' (default): 16 zero crossings, ~-80 dB stop band. 'fast': 8 zero crossings. */
  quality?: 'fast' | 'good';
}

const QUALITY = {
  good: { zeroCrossings: 16, rolloff: 0.92, beta: 8.6 },
  fast: { zeroCrossings: 8, rolloff: 0.85, beta: 6.0 },
} as const;

/** Largest reduced up-sampling factor accepted (size of the polyphase table). */
const MAX_PHASES = 4096;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (series), for the Kaiser window. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

/**
 * Filter tables by ratio and quality: building one (up to 4096 phases x taps Kaiser-windowed
 * sincs) takes about a millisecond, and every TTS segment starts a resampler. Read-only once built.
 */
const TABLES = new Map<string, Float32Array>();

function buildTable(up: number, taps: number, halfTaps: number, fc: number, beta: number): Float32Array {
  const table = new Float32Array(up * taps);
  const i0beta = besselI0(beta);
  for (let p = 0; p < up; p++) {
    const frac = p / up;
    let sum = 0;
    const row = new Float64Array(taps);
    for (let k = 0; k < taps; k++) {
      const d = k - halfTaps + 1 - frac;
      const r = d / halfTaps;
      if (Math.abs(r) >= 1) continue;
      const x = Math.PI * fc * d;
      const sinc = x === 0 ? 1 : Math.sin(x) / x;
      const w = besselI0(beta * Math.sqrt(1 - r * r)) / i0beta;
      row[k] = fc * sinc * w;
      sum += row[k]!;
    }
    for (let k = 0; k < taps; k++) table[p * taps + k] = row[k]! / sum;
  }
  return table;
}

export class StreamingResampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Reduced ratio: L output phases per M input samples. */
  private readonly up: number;
  private readonly down: number;
  private readonly halfTaps: number;
  private readonly taps: number;
  /** taps coefficients per phase, phase-major. */
  private readonly table: Float32Array;
  /** Pending input (int16 scale); buf[0] is absolute input index bufStart. */
  private buf: Float32Array;
  private bufLen: number;
  private bufStart: number;
  /** Next output is at input position baseIndex + phase / up. */
  private baseIndex = 0;
  private phase = 0;
  private inputCount = 0;
  private outputCount = 0;

  constructor(fromRate: number, toRate: number, opts: ResamplerOptions = {}) {
    if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate <= 0 || toRate <= 0) {
      throw new RangeError(`invalid sample rates ${fromRate} -> ${toRate}`);
    }
    this.fromRate = fromRate;
    this.toRate = toRate;
    const g = gcd(fromRate, toRate);
    this.up = toRate / g;
    this.down = fromRate / g;
    if (this.up > MAX_PHASES) throw new RangeError(`ratio ${fromRate}->${toRate} needs ${this.up} phases (max ${MAX_PHASES})`);
    const q = QUALITY[opts.quality ?? 'good'];
    const scale = Math.min(1, toRate / fromRate);
    const same = this.up === this.down;
    // Equal rates: a one-tap identity filter (no low-pass), so resampling is a plain copy.
    const fc = same ? 1 : scale * q.rolloff;
    this.halfTaps = same ? 1 : Math.ceil(q.zeroCrossings / scale);
    this.taps = 2 * this.halfTaps;
    const key = `${this.up}/${this.down}/${opts.quality ?? 'good'}`;
    let table = TABLES.get(key);
    if (!table) {
      table = buildTable(this.up, this.taps, this.halfTaps, fc, q.beta);
      if (TABLES.size >= 32) TABLES.delete(TABLES.keys().next().value as string);
      TABLES.set(key, table);
    }
    this.table = table;
    // Zero history before the first sample, so the first outputs see silence on their left.
    this.buf = new Float32Array(Math.max(4096, this.taps * 4));
    this.bufLen = this.halfTaps - 1;
    this.bufStart = -(this.halfTaps - 1);
  }

  /** Resample the next chunk. Returns as many output samples as the input received so far allows. */
  process(input: Int16Array | Float32Array): Int16Array {
    this.append(input);
    return this.run(this.inputCount);
  }

  /** Emit the remaining output (treating the input as ended) and reset for a new stream. */
  flush(): Int16Array {
    const total = Math.ceil((this.inputCount * this.up) / this.down);
    const owed = total - this.outputCount;
    this.append(new Float32Array(this.halfTaps + 1), true);
    const out = this.run(Number.POSITIVE_INFINITY, owed);
    this.reset();
    return out;
  }

  /** Forget all state (a new, unrelated stream follows). */
  reset(): void {
    this.buf.fill(0);
    this.bufLen = this.halfTaps - 1;
    this.bufStart = -(this.halfTaps - 1);
    this.baseIndex = 0;
    this.phase = 0;
    this.inputCount = 0;
    this.outputCount = 0;
  }

  private append(input: Int16Array | Float32Array, padding = false): void {
    const need = this.bufLen + input.length;
    if (need > this.buf.length) {
      const next = new Float32Array(Math.max(need, this.buf.length * 2));
      next.set(this.buf.subarray(0, this.bufLen));
      this.buf = next;
    }
    if (input instanceof Float32Array) {
      const b = this.buf;
      const o = this.bufLen;
      for (let i = 0; i < input.length; i++) b[o + i] = input[i]! * 32768;
    } else {
      this.buf.set(input, this.bufLen);
    }
    this.bufLen += input.length;
    if (!padding) this.inputCount += input.length;
  }

  /** Produce outputs whose window ends before `available` (absolute index), at most `limit`. */
  private run(available: number, limit = Number.POSITIVE_INFINITY): Int16Array {
    const end = Math.min(available, this.bufStart + this.bufLen);
    // output at baseIndex needs input up to baseIndex + halfTaps inclusive
    const lastBase = end - this.halfTaps - 1;
    let count = 0;
    if (lastBase >= this.baseIndex) {
      const span = (lastBase - this.baseIndex + 1) * this.up - this.phase;
      count = Math.max(0, Math.ceil(span / this.down));
    }
    count = Math.min(count, limit);
    const out = new Int16Array(count);
    const { table, taps, up, down, buf } = this;
    let base = this.baseIndex;
    let phase = this.phase;
    const firstOffset = 1 - this.halfTaps - this.bufStart;
    for (let n = 0; n < count; n++) {
      const start = base + firstOffset;
      const c = phase * taps;
      // taps is even: two accumulators halve the dependency chain.
      let acc0 = 0;
      let acc1 = 0;
      for (let k = 0; k < taps; k += 2) {
        acc0 += buf[start + k]! * table[c + k]!;
        acc1 += buf[start + k + 1]! * table[c + k + 1]!;
      }
      const acc = acc0 + acc1;
      const v = Math.round(acc);
      out[n] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      phase += down;
      while (phase >= up) {
        phase -= up;
        base++;
      }
    }
    this.baseIndex = base;
    this.phase = phase;
    this.outputCount += count;
    // Drop input no longer needed by the next output's window.
    const keepFrom = base - this.halfTaps + 1;
    const drop = keepFrom - this.bufStart;
    if (drop > 0 && drop <= this.bufLen) {
      this.buf.copyWithin(0, drop, this.bufLen);
      this.bufLen -= drop;
      this.bufStart = keepFrom;
    }
    return out;
  }
}

/** Resample a whole clip in one go (same output as streaming it through a StreamingResampler). */
export function resampleOnce(pcm: Int16Array | Float32Array, fromRate: number, toRate: number, opts?: ResamplerOptions): Int16Array {
  const r = new StreamingResampler(fromRate, toRate, opts);
  const a = r.process(pcm);
  const b = r.flush();
  const out = new Int16Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
