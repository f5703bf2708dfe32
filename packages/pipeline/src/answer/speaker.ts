import type { Clock, Logger, TtsChunk, TtsProvider } from '../ports.ts';
import type { Segment } from '../text/sentence-splitter.ts';
import type { SessionOutput } from '../session/types.ts';
import { errInfo, roundMs } from '../err-info.ts';
import { AsyncQueue } from './async-queue.ts';
import { PacedAudioSender } from './audio-sender.ts';
import type { SentSegment } from './heard-text.ts';
import type { Language } from './language.ts';
import { TtsPrefetch, type SegmentJob } from './tts-prefetch.ts';

export interface SpeakerOptions {
  clock: Clock;
  tts: TtsProvider;
  logger: Logger;
  output: SessionOutput;
  turnId: string;
  language: Language;
  signal: AbortSignal;
  /** Allocates the next TTS segment id (unique within the session). */
  nextSegmentId: () => number;
  /** Segments synthesised ahead of the one being sent. */
  prefetch: number;
  paceLeadMs: number;
  /** Clock time the user stopped speaking: `end_to_end_ms` counts from it. */
  startedAt: number;
  /** Held: nothing is sent (and only the first segment synthesised) until `release()`. */
  held?: boolean;
  /** Longest text per TTS request (display width; see tts-pieces.ts). Default TTS_PIECE_MAX_WIDTH. */
  ttsPieceMaxWidth?: number;
  onTtsFailure: (error: unknown, first: boolean) => void;
}

/**
 * Speaker stage: segments in, voice out. TTS prefetch (tts-prefetch.ts) synthesises ahead; this
 * sends each segment's audio in order through the paced Opus sender (audio-sender.ts), framed by
 * `tts.start` / `tts.end`, and keeps what was sent for the heard-text rule.
 */
export class Speaker {
  private readonly jobs: SegmentJob[] = [];
  private readonly prefetch: TtsPrefetch;
  private readonly sender: PacedAudioSender;
  private jobsDone = false;
  private wakeSender: (() => void) | null = null;
  private released: Promise<void>;
  private release_: () => void = () => undefined;
  private readonly sending: Promise<void>;
  readonly sent: SentSegment[] = [];
  ttsFirstAudioMs: number | null = null;
  endToEndMs: number | null = null;

  constructor(private readonly opts: SpeakerOptions) {
    this.released = opts.held ? new Promise<void>((r) => (this.release_ = r)) : Promise.resolve();
    this.sender = new PacedAudioSender(opts.clock, opts.output, opts.paceLeadMs);
    this.prefetch = new TtsPrefetch({
      tts: opts.tts,
      clock: opts.clock,
      signal: opts.signal,
      ahead: opts.prefetch,
      language: opts.language,
      held: opts.held ?? false,
      ...(opts.ttsPieceMaxWidth === undefined ? {} : { pieceMaxWidth: opts.ttsPieceMaxWidth }),
      onFailure: (error, job, first) => {
        opts.logger.warn({ err: errInfo(error), segment_id: job.id }, 'tts failed; text delivered without voice');
        opts.onTtsFailure(error, first);
      },
    });
    opts.signal.addEventListener('abort', () => this.wakeSender?.(), { once: true });
    this.sending = this.sendLoop();
  }

  /** TTS requests made so far. */
  get ttsRequests(): number {
    return this.prefetch.requests;
  }

  /** One more sentence to speak, after the ones before it. */
  say(segment: Segment): void {
    const job: SegmentJob = { index: this.jobs.length, id: this.opts.nextSegmentId(), segment, audio: new AsyncQueue<TtsChunk>(), ttsStartedAt: null, failed: false };
    this.jobs.push(job);
    this.prefetch.push(job);
    if (segment.emotion) {
      const event = { kind: 'expression' as const, name: segment.emotion, weight: 1, duration_ms: null };
      this.opts.output.sendEvent({ type: 'avatar_event', turn_id: this.opts.turnId, event });
    }
    this.wakeSender?.();
  }

  /**
   * The user may be barging in (on) or was not (off): no further segment is synthesised ahead
   * while on, so an abandoned answer leaves the TTS server (which cannot cancel) no extra work.
   */
  pausePrefetch(on: boolean): void {
    this.prefetch.pause(on);
  }

  /** A held answer was confirmed: send it. */
  release(): void {
    this.prefetch.release();
    this.release_();
  }

  /** No more segments: waits until all were sent and played out (or the turn was aborted). */
  async finish(): Promise<void> {
    this.jobsDone = true;
    this.prefetch.close();
    this.wakeSender?.();
    await Promise.all([this.prefetch.done, this.sending]);
    const tail = this.sender.remainingPlaybackMs();
    if (tail > 0 && !this.opts.signal.aborted) await this.opts.clock.sleep(tail, this.opts.signal).catch(() => undefined);
    this.sender.close();
  }

  /** Audio time (ms) since the first packet left: what the client can have played. */
  playedEstimateMs(): number {
    return this.sender.firstSendAt === null ? 0 : this.opts.clock.now() - this.sender.firstSendAt;
  }

  private async nextJob(i: number): Promise<SegmentJob | null> {
    while (!this.jobs[i] && !this.jobsDone && !this.opts.signal.aborted) await new Promise<void>((r) => (this.wakeSender = r));
    return this.jobs[i] ?? null;
  }

  private async sendLoop(): Promise<void> {
    await Promise.race([this.released, new Promise<void>((r) => this.opts.signal.addEventListener('abort', () => r(), { once: true }))]);
    for (let i = 0; ; i++) {
      const job = await this.nextJob(i);
      if (!job) return;
      this.prefetch.sending(i);
      if (!this.opts.signal.aborted) await this.sendSegment(job);
    }
  }

  private async sendSegment(job: SegmentJob): Promise<void> {
    const { clock, turnId, signal, output } = this.opts;
    let durationMs = 0;
    let truncated = false;
    let announced = false;
    const announce = () => {
      announced = true;
      if (this.ttsFirstAudioMs === null && job.ttsStartedAt !== null) this.ttsFirstAudioMs = roundMs(clock.now() - job.ttsStartedAt);
      this.endToEndMs ??= roundMs(clock.now() - this.opts.startedAt);
      output.sendEvent({ type: 'tts.start', turn_id: turnId, segment_id: job.id, text: job.segment.text, emotion: job.segment.emotion ?? null });
    };
    try {
      ({ durationMs, truncated } = await this.sender.sendSegment(job.id, job.audio, signal, announce));
    } catch (error) {
      this.opts.logger.error({ err: errInfo(error), segment_id: job.id }, 'sending audio failed');
      truncated = true;
    }
    if (!announced) return;
    this.sent.push({ id: job.id, text: job.segment.text, durationMs });
    output.sendEvent({ type: 'tts.end', turn_id: turnId, segment_id: job.id, duration_ms: durationMs, truncated: truncated || job.failed });
  }
}
