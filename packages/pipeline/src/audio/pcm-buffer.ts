/**
 * Growable Int16 buffer for the audio of the current utterance, bounded to `maxSamples`.
 * Positions are absolute sample indices since creation (or the last clear()), so a caller can
 * keep "speech started at sample N" even after old audio has been dropped.
 */
export interface PcmBufferOptions {
  /** Upper bound on retained samples (e.g. 30 s * 16000). */
  maxSamples: number;
  /** What to drop when full: the oldest audio (default, acts as a ring) or the newest (keep the start). */
  overflow?: 'drop-oldest' | 'drop-newest';
}

export class PcmBuffer {
  readonly maxSamples: number;
  private readonly overflow: 'drop-oldest' | 'drop-newest';
  private data: Int16Array;
  private len = 0;
  /** Absolute index of data[0]. */
  private first = 0;
  private droppedNewest = 0;

  constructor(opts: PcmBufferOptions) {
    if (!Number.isInteger(opts.maxSamples) || opts.maxSamples <= 0) throw new RangeError('maxSamples must be a positive integer');
    this.maxSamples = opts.maxSamples;
    this.overflow = opts.overflow ?? 'drop-oldest';
    this.data = new Int16Array(Math.min(opts.maxSamples, 16_000));
  }

  /** Number of samples retained. */
  get length(): number {
    return this.len;
  }
  /** Absolute index of the first retained sample. */
  get startIndex(): number {
    return this.first;
  }
  /** Absolute index one past the last retained sample. */
  get endIndex(): number {
    return this.first + this.len;
  }
  /** Samples discarded because of the bound (both policies). */
  get droppedSamples(): number {
    return this.first + this.droppedNewest;
  }

  append(pcm: Int16Array): void {
    let src = pcm;
    if (this.overflow === 'drop-newest') {
      const room = this.maxSamples - this.len;
      if (src.length > room) {
        this.droppedNewest += src.length - room;
        src = src.subarray(0, room);
      }
    } else if (src.length >= this.maxSamples) {
      const skip = src.length - this.maxSamples;
      this.first += this.len + skip;
      this.len = 0;
      src = src.subarray(skip);
    } else if (this.len + src.length > this.maxSamples) {
      const drop = this.len + src.length - this.maxSamples;
      this.data.copyWithin(0, drop, this.len);
      this.len -= drop;
      this.first += drop;
    }
    this.ensure(this.len + src.length);
    this.data.set(src, this.len);
    this.len += src.length;
  }

  /** Copy of retained samples in absolute range [from, to), clamped to what is retained. */
  slice(from = this.first, to = this.endIndex): Int16Array {
    const a = Math.max(from, this.first) - this.first;
    const b = Math.min(to, this.endIndex) - this.first;
    return b > a ? this.data.slice(a, b) : new Int16Array(0);
  }

  /** Drop everything and restart absolute positions at 0. */
  clear(): void {
    this.len = 0;
    this.first = 0;
    this.droppedNewest = 0;
  }

  private ensure(n: number): void {
    if (n <= this.data.length) return;
    const next = new Int16Array(Math.min(this.maxSamples, Math.max(n, this.data.length * 2)));
    next.set(this.data.subarray(0, this.len));
    this.data = next;
  }
}
