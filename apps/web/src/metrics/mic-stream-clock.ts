import { MIC_AUDIO } from '@va/protocol';

/**
 * Gaps the server fills with silence: it lets the audio it processed run ahead of the wall time by
 * at most 1 s (packages/pipeline/src/listen/mic-input.ts GAP_ALLOWANCE_MS); at real-time pace that
 * covers up to 49 missing 20 ms packets. A longer gap is skipped there, so it adds no stream time.
 */
export const SERVER_GAP_FILL_MAX_MS = 1000 - MIC_AUDIO.frameMs;

/**
 * Opus' algorithmic delay (libopus lookahead, 2.5 + 4 ms at 48 kHz): the decoded stream on the
 * server lags the encoder's input by this much, so stream position P holds what was captured at
 * P - 6.5 ms of the packets' capture clock.
 */
export const OPUS_LOOKAHEAD_MS = 6.5;

export interface MicStreamClockOptions {
  frameMs?: number;
  /** Packets remembered (the oldest are forgotten); 3000 = one minute of microphone audio. */
  capacity?: number;
  /** Stream time the server had already processed before this page's first packet (a reload resumes the session). */
  basePositionMs?: number;
  codecDelayMs?: number;
}

/**
 * Maps a position in the microphone stream as the server counts it (the `audio_ms` of a `vad`
 * event: ms of mic audio the session has processed) back to when the page captured that audio
 * (performance.now()). The server's stream time is not wall time: it stops while the mic is off
 * or the socket is down, fills small packet gaps with silence and goes on across reconnects, so
 * the page replays the server's bookkeeping (mic-input.ts) on the packets it numbered:
 * - each packet adds `frameMs`; a jump in sequence numbers of up to SERVER_GAP_FILL_MAX_MS is filled
 *   (those packets were numbered but not sent), a longer one adds nothing; a repeated or older
 *   sequence number is dropped, as the server drops it;
 * - `newStream()`: the numbering restarts (a new transport Worker; the server's next connection
 *   restarts its sequence check too), and the stream time carries on.
 * What it cannot see: packets lost in a socket that broke. Callers should sanity-check a result
 * against when the event arrived.
 */
export class MicStreamClock {
  private readonly frameMs: number;
  private readonly capacity: number;
  private readonly codecDelayMs: number;
  /** Stream position (ms) where each remembered packet starts, ascending. */
  private starts: number[] = [];
  /** Capture time (performance.now()) of each remembered packet's last sample. */
  private capturedEnds: number[] = [];
  private nextSeq: number | null = null;
  private end: number;

  constructor(opts: MicStreamClockOptions = {}) {
    this.frameMs = opts.frameMs ?? MIC_AUDIO.frameMs;
    this.capacity = opts.capacity ?? 3000;
    this.codecDelayMs = opts.codecDelayMs ?? OPUS_LOOKAHEAD_MS;
    this.end = opts.basePositionMs ?? 0;
  }

  /** Stream time (ms) after the last packet: where the next one starts. */
  get positionMs(): number {
    return this.end;
  }

  /** The packet numbering restarts from here (a new transport Worker); stream time carries on. */
  newStream(): void {
    this.nextSeq = null;
  }

  /** A new server session: its stream time starts from 0 and nothing remembered belongs to it. */
  reset(basePositionMs = 0): void {
    this.starts = [];
    this.capturedEnds = [];
    this.nextSeq = null;
    this.end = basePositionMs;
  }

  /** The page numbered packet `seq`, whose last sample it captured at `capturedEndMs`. */
  note(seq: number, capturedEndMs: number): void {
    if (!Number.isFinite(seq) || !Number.isFinite(capturedEndMs)) return;
    if (this.nextSeq !== null && seq < this.nextSeq) return;
    const missing = this.nextSeq === null ? 0 : seq - this.nextSeq;
    if (missing > 0 && missing * this.frameMs <= SERVER_GAP_FILL_MAX_MS) {
      // filled with silence on the server; those packets were captured just before this one
      for (let i = missing; i >= 1; i--) this.push(capturedEndMs - i * this.frameMs);
    }
    this.push(capturedEndMs);
    this.nextSeq = seq + 1;
  }

  private push(capturedEndMs: number): void {
    this.starts.push(this.end);
    this.capturedEnds.push(capturedEndMs);
    this.end += this.frameMs;
    if (this.starts.length > this.capacity) {
      const drop = this.starts.length - Math.floor(this.capacity * 0.75);
      this.starts.splice(0, drop);
      this.capturedEnds.splice(0, drop);
    }
  }

  /**
   * When the audio at stream position `audioMs` was captured (performance.now()), or null when that
   * position is not among the remembered packets (before the oldest, or beyond the newest).
   */
  captureTimeAt(audioMs: number): number | null {
    const p = audioMs - this.codecDelayMs;
    const first = this.starts[0];
    if (first === undefined || !Number.isFinite(p) || p < first || audioMs > this.end) return null;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= p) lo = mid;
      else hi = mid - 1;
    }
    const start = this.starts[lo] as number;
    return (this.capturedEnds[lo] as number) - this.frameMs + Math.min(this.frameMs, p - start);
  }
}

/**
 * The mapped speech end, or null when it is not believable: captured after the event that reports
 * it arrived, or longer before than any end-of-turn wait (the server's stream and this page's
 * bookkeeping disagree: packets lost in a broken socket, a session the server started afresh).
 */
export function plausibleSpeechEnd(capturedMs: number | null, arrivedMs: number, maxWaitMs = 5000): number | null {
  if (capturedMs === null) return null;
  const wait = arrivedMs - capturedMs;
  return wait >= 0 && wait <= maxWaitMs ? capturedMs : null;
}
