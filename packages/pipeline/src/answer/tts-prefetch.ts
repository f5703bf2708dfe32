import type { Clock, TtsChunk, TtsProvider } from '../ports.ts';
import type { Segment } from '../text/sentence-splitter.ts';
import { AsyncQueue } from './async-queue.ts';
import type { Language } from '../ports.ts';
import { ttsPieces, TTS_PIECE_MAX_WIDTH } from './tts-pieces.ts';

/** One sentence to speak: its audio arrives in `audio` as the TTS server streams it. */
export interface SegmentJob {
  index: number;
  id: number;
  segment: Segment;
  audio: AsyncQueue<TtsChunk>;
  ttsStartedAt: number | null;
  failed: boolean;
}

/** After this many failed segments in a turn, the rest are not even tried. */
const MAX_FAILURES = 2;

/**
 * TTS prefetch stage: one synthesis at a time, in segment order, at most `ahead` segments beyond
 * the one being sent (`sendingIndex`). While `held` (a preemptive answer not yet confirmed) only
 * the first segment is synthesised; while `paused` (the user may be barging in) none beyond the
 * one being sent is started. A failed segment is marked and left silent.
 *
 * A segment wider than `pieceMaxWidth` is requested as pieces (tts-pieces.ts), each after the one
 * before has been synthesised: Fish Speech cannot cancel a request, so what a barge-in abandons
 * is at most one piece, and the next answer's first request does not wait behind a long sentence.
 */
export class TtsPrefetch {
  private readonly queue = new AsyncQueue<SegmentJob>();
  private sendingIndex = 0;
  private held: boolean;
  private paused = false;
  private wake: (() => void) | null = null;
  private failures = 0;
  /** Synthesis requests made (a discarded preemptive answer's are counted as wasted). */
  requests = 0;
  firstRequestAt: number | null = null;
  readonly done: Promise<void>;

  constructor(
    private readonly opts: {
      tts: TtsProvider;
      clock: Clock;
      signal: AbortSignal;
      ahead: number;
      language: Language;
      held: boolean;
      /** Longest text per TTS request (display width); default TTS_PIECE_MAX_WIDTH. */
      pieceMaxWidth?: number;
      /** A segment failed; `first` is true once per turn. */
      onFailure: (error: unknown, job: SegmentJob, first: boolean) => void;
    },
  ) {
    this.held = opts.held;
    opts.signal.addEventListener('abort', () => this.wake?.(), { once: true });
    this.done = this.run();
  }

  push(job: SegmentJob): void {
    this.queue.push(job);
  }

  close(): void {
    this.queue.close();
  }

  /** The sender moved on to segment `index`: the worker may synthesise further ahead. */
  sending(index: number): void {
    this.sendingIndex = index;
    this.wake?.();
  }

  release(): void {
    this.held = false;
    this.wake?.();
  }

  /**
   * While paused no segment beyond the one being sent is synthesised (what is in flight finishes):
   * call it when the user starts speaking over the answer, so a barge-in abandons no prefetched
   * synthesis; resume when it was not one (a backchannel, the avatar's echo).
   */
  pause(on: boolean): void {
    this.paused = on;
    if (!on) this.wake?.();
  }

  private limit(): number {
    return this.held ? 0 : this.sendingIndex + (this.paused ? 0 : this.opts.ahead);
  }

  private async run(): Promise<void> {
    const { signal } = this.opts;
    for await (const job of this.queue) {
      while (job.index > this.limit() && !signal.aborted) await new Promise<void>((r) => (this.wake = r));
      if (signal.aborted || this.failures >= MAX_FAILURES) {
        job.failed = !signal.aborted;
        job.audio.close();
        continue;
      }
      await this.synthesize(job);
    }
  }

  private async synthesize(job: SegmentJob): Promise<void> {
    const { tts, clock, signal, language } = this.opts;
    job.ttsStartedAt = clock.now();
    this.firstRequestAt ??= job.ttsStartedAt;
    try {
      for (const text of ttsPieces(job.segment.text, this.opts.pieceMaxWidth ?? TTS_PIECE_MAX_WIDTH)) {
        if (signal.aborted) break;
        this.requests++;
        for await (const chunk of tts.synthesize({ text, signal, language })) job.audio.push(chunk);
      }
      job.audio.close();
    } catch (error) {
      job.audio.close();
      if (signal.aborted) return;
      job.failed = true;
      this.failures++;
      this.opts.onFailure(error, job, this.failures === 1);
    }
  }
}
