/**
 * Per-segment jitter buffer for TTS packets (pure; time is passed in).
 * - reorders by seq; drops duplicates and packets older than the playout point;
 * - starts once `targetDelayMs` of audio is buffered, or `startWaitMs` (default `targetDelayMs`)
 *   after the first packet, or when the segment's last packet is in, to absorb network jitter;
 * - once started, a missing packet becomes a `gap` (played as silence/PLC) when a later packet
 *   has been waiting for `lossDeadlineMs`, or at once when more than `maxPackets` are held;
 * - never holds more than `maxPackets` (older ones are forced out first).
 */
export interface JitterConfig {
  frameMs: number;
  /** Buffered audio that starts a segment at once. */
  targetDelayMs: number;
  /** The longest wait for it after the first packet; then the segment starts with what it has. */
  startWaitMs?: number;
  lossDeadlineMs: number;
  maxPackets: number;
}

/**
 * A segment starts with two packets (80 ms) in, or 20 ms after its first: the server sends each
 * segment's start 200 ms ahead of real time, so the second packet is normally a few ms behind
 * the first; waiting up to 70 ms for it (as before) put 13-28 ms (p95) in front of the first
 * audible sample in the Chromium e2e. Starting on the first packet alone ran dry 40 ms in, once
 * in ~25 segments on a loaded machine; the 20 ms wait covers a second packet up to ~55 ms late.
 */
export const DEFAULT_JITTER: JitterConfig = { frameMs: 40, targetDelayMs: 70, startWaitMs: 20, lossDeadlineMs: 80, maxPackets: 50 };

export type JitterItem<T> = { kind: 'packet'; seq: number; data: T; arrivedAtMs: number } | { kind: 'gap'; seq: number };

export type PushResult = 'ok' | 'duplicate' | 'late' | 'after-end';

export class SegmentJitterBuffer<T> {
  private readonly held = new Map<number, { data: T; arrivedAtMs: number }>();
  private firstArrival: number | null = null;
  private started = false;
  private next = 0;
  private finalSeq: number | null = null;
  private missingSince: number | null = null;

  constructor(private readonly cfg: JitterConfig = DEFAULT_JITTER) {}

  private get startWaitMs(): number {
    return this.cfg.startWaitMs ?? this.cfg.targetDelayMs;
  }

  push(seq: number, data: T, nowMs: number, last = false): PushResult {
    if (this.finalSeq !== null && seq > this.finalSeq) return 'after-end';
    if (this.started && seq < this.next) return 'late';
    if (this.held.has(seq)) return 'duplicate';
    this.held.set(seq, { data, arrivedAtMs: nowMs });
    this.firstArrival ??= nowMs;
    if (last) this.finalSeq = seq;
    return 'ok';
  }

  /** The last seq of the segment, when known from elsewhere (e.g. tts.end). -1: no audio at all. */
  setFinalSeq(seq: number): void {
    if (this.finalSeq === null || seq < this.finalSeq) this.finalSeq = seq;
    for (const s of this.held.keys()) if (s > seq) this.held.delete(s);
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** True once every packet up to the final one has been handed out. */
  get done(): boolean {
    return this.finalSeq !== null && this.next > this.finalSeq && (this.started || this.finalSeq < 0);
  }

  get size(): number {
    return this.held.size;
  }

  /** Items ready to play now, in order. */
  pull(nowMs: number): JitterItem<T>[] {
    const out: JitterItem<T>[] = [];
    if (!this.started && !this.tryStart(nowMs)) return out;
    while (this.finalSeq === null || this.next <= this.finalSeq) {
      const hit = this.held.get(this.next);
      if (hit) {
        this.held.delete(this.next);
        out.push({ kind: 'packet', seq: this.next, data: hit.data, arrivedAtMs: hit.arrivedAtMs });
        this.next++;
        this.missingSince = null;
        continue;
      }
      const laterWaiting = this.held.size > 0 || this.finalSeq !== null;
      if (!laterWaiting) break;
      this.missingSince ??= nowMs;
      const overfull = this.held.size > this.cfg.maxPackets;
      if (!overfull && nowMs - this.missingSince < this.cfg.lossDeadlineMs) break;
      out.push({ kind: 'gap', seq: this.next });
      this.next++;
      // The next hole (if any) gets its own deadline, measured from now.
      this.missingSince = nowMs;
    }
    return out;
  }

  /** When pull() may next return something (for a timer), or null if only a push can help. */
  nextWakeMs(nowMs: number): number | null {
    if (this.done) return null;
    if (!this.started) return this.firstArrival === null ? null : Math.max(nowMs, this.firstArrival + this.startWaitMs);
    if (this.held.has(this.next)) return nowMs;
    if (this.missingSince !== null) return this.missingSince + this.cfg.lossDeadlineMs;
    return this.held.size > 0 || this.finalSeq !== null ? nowMs : null;
  }

  private tryStart(nowMs: number): boolean {
    if (this.finalSeq !== null && this.finalSeq < 0) {
      this.started = true;
      return false;
    }
    if (this.firstArrival === null) return false;
    const waited = nowMs - this.firstArrival >= this.startWaitMs;
    const first = Math.min(...this.held.keys());
    let contiguous = 0;
    while (this.held.has(first + contiguous)) contiguous++;
    const enoughBuffered = contiguous * this.cfg.frameMs >= this.cfg.targetDelayMs;
    const complete = this.finalSeq !== null && contiguous === this.finalSeq - first + 1;
    if (!(waited || enoughBuffered || complete || this.held.size > this.cfg.maxPackets)) return false;
    this.started = true;
    // Seq normally starts at 0; if packet 0 is still missing at start, give it the loss deadline.
    this.next = this.held.has(0) || first > 0 ? 0 : first;
    return true;
  }
}
