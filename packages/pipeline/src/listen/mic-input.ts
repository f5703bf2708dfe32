import { MIC_AUDIO } from '@va/protocol';
import { createOpusDecoder, type OpusDecoder } from '../audio/opus.ts';
import { createEndpointer, type EndpointEvent, type Endpointer, type EndpointerOptions } from '../audio/endpointer.ts';
import { PcmBuffer } from '../audio/pcm-buffer.ts';
import { StreamingResampler } from '../audio/resampler.ts';
import type { VadStream } from '../session/types.ts';

const RATE = 16_000;
const PACKET_MS = MIC_AUDIO.frameMs;
const SAMPLES_PER_PACKET = (RATE * PACKET_MS) / 1000; // 320
/**
 * Lost packets are filled with silence so audio time keeps pace with the speaker's; but a fill
 * costs decode-free VAD work, so the audio processed (packets + fill) may run ahead of the wall
 * time since the first packet by at most this much. A larger gap is a discontinuity: not filled.
 */
export const GAP_ALLOWANCE_MS = 1000;

export interface MicInputOptions {
  endpointer: EndpointerOptions;
  /** Longest utterance kept, seconds. */
  maxSeconds: number;
  now: () => number;
}

export interface MicFrameInfo {
  /** Absolute 16 kHz sample index after this packet. */
  endSample: number;
  seq: number;
  arrivedAt: number;
}

export interface MicInputEvents {
  onEndpoint(event: EndpointEvent): void;
  /** After every processed VAD frame (about every 32 ms of audio), with the current run of silence. */
  onAudioProgress(endSample: number, silentMs: number, speechProbability: number): void;
  onDecodeError(seq: number): void;
  /** A packet's audio went through the VAD `lagMs` after it arrived. */
  onProcessed?(lagMs: number): void;
  /** `missing` packets before `seq` were skipped, not filled: more than the wall time allows. */
  onDiscontinuity?(seq: number, missing: number): void;
  /** A packet's 16 kHz audio, with the clock time it arrived (the echo guard listens here). */
  onAudio?(pcm16: Int16Array, arrivedAt: number): void;
}

/**
 * Mic packets -> Opus decode (48 kHz) -> 16 kHz -> Silero VAD frames -> endpointer events.
 * Keeps the recent 16 kHz audio with absolute sample positions so an utterance can be cut out
 * with its pre-roll, and remembers which packet carried which audio (for `covers_seq`).
 */
export class MicInput {
  readonly audio: PcmBuffer;
  private readonly decoder: OpusDecoder;
  private readonly resampler = new StreamingResampler(48_000, RATE);
  private readonly endpointer: Endpointer;
  private vadPending = new Float32Array(0);
  private nextSeq: number | null = null;
  /** Audio (ms) the gap fill may still add: grows with wall time, spent by every packet and fill. */
  private fillBudgetMs = GAP_ALLOWANCE_MS;
  private lastArrivedAt: number | null = null;
  private frames: MicFrameInfo[] = [];
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private silentFrames = 0;
  private readonly silenceThreshold: number;
  private readonly frameMs: number;

  private readonly now: () => number;

  constructor(
    private readonly vad: VadStream,
    { endpointer, maxSeconds, now }: MicInputOptions,
    private readonly events: MicInputEvents,
  ) {
    this.now = now;
    this.decoder = createOpusDecoder({ sampleRate: 48_000, channels: 1 });
    this.endpointer = createEndpointer(endpointer);
    this.silenceThreshold = endpointer.negativeThreshold ?? 0.35;
    this.frameMs = endpointer.frameMs ?? 32;
    this.audio = new PcmBuffer({ maxSamples: Math.round(maxSeconds * RATE) + RATE * 2 });
  }

  /**
   * While the avatar is ducked for a sound the echo does not explain, speech is confirmed after
   * `ms` (one or two VAD frames) instead of the endpointer's usual minimum, so its words are asked
   * for sooner; null restores the usual minimum.
   */
  confirmSpeechStartAfter(ms: number | null): void {
    this.endpointer.confirmStartAfter(ms);
  }

  get endpointerState(): Endpointer['state'] {
    return this.endpointer.state;
  }

  /** Audio time (ms) processed by the VAD so far. */
  get positionMs(): number {
    return this.endpointer.positionMs;
  }

  /** Queues one packet; processing is serialised so the VAD sees audio in order. */
  push(seq: number, packet: Uint8Array): Promise<void> {
    const arrivedAt = this.now();
    const copy = packet.slice();
    this.chain = this.chain.then(() => this.process(seq, copy, arrivedAt)).catch(() => undefined);
    return this.chain;
  }

  private async process(seq: number, packet: Uint8Array, arrivedAt: number): Promise<void> {
    if (this.closed) return;
    if (this.nextSeq !== null && seq < this.nextSeq) return; // duplicate or late: dropped
    const missing = this.nextSeq === null ? 0 : seq - this.nextSeq;
    const fill = this.gapFill(missing, arrivedAt);
    if (fill < missing) this.events.onDiscontinuity?.(seq, missing);
    for (let i = 0; i < fill; i++) await this.feed(new Int16Array(SAMPLES_PER_PACKET * 3), seq - fill + i, arrivedAt);
    this.nextSeq = seq + 1;
    let pcm48: Int16Array;
    try {
      pcm48 = this.decoder.decode(packet);
    } catch {
      this.events.onDecodeError(seq);
      pcm48 = new Int16Array(SAMPLES_PER_PACKET * 3);
    }
    await this.feed(pcm48, seq, arrivedAt);
  }

  /**
   * How many of `missing` lost packets to fill with silence: all of them when the budget (wall
   * time elapsed since the previous packet, up to GAP_ALLOWANCE_MS saved) covers them, else none.
   */
  private gapFill(missing: number, arrivedAt: number): number {
    const elapsed = this.lastArrivedAt === null ? 0 : Math.max(0, arrivedAt - this.lastArrivedAt);
    this.lastArrivedAt = arrivedAt;
    this.fillBudgetMs = Math.min(GAP_ALLOWANCE_MS, this.fillBudgetMs + elapsed) - PACKET_MS;
    if (missing <= 0) return 0;
    const cost = missing * PACKET_MS;
    if (cost > this.fillBudgetMs) return 0;
    this.fillBudgetMs -= cost;
    return missing;
  }

  private async feed(pcm48: Int16Array, seq: number, arrivedAt: number): Promise<void> {
    const pcm16 = this.resampler.process(pcm48);
    this.audio.append(pcm16);
    this.events.onAudio?.(pcm16, arrivedAt);
    this.frames.push({ endSample: this.audio.endIndex, seq, arrivedAt });
    if (this.frames.length > 3000) this.frames.splice(0, this.frames.length - 2000);
    const merged = new Float32Array(this.vadPending.length + pcm16.length);
    merged.set(this.vadPending);
    for (let i = 0; i < pcm16.length; i++) merged[this.vadPending.length + i] = (pcm16[i] ?? 0) / 32768;
    let offset = 0;
    const n = this.vad.frameSamples;
    while (merged.length - offset >= n) {
      const prob = await this.vad.process(merged.subarray(offset, offset + n));
      offset += n;
      if (this.closed) return;
      this.silentFrames = prob < this.silenceThreshold ? this.silentFrames + 1 : 0;
      for (const event of this.endpointer.push(prob)) this.events.onEndpoint(event);
      this.events.onAudioProgress(Math.round(this.endpointer.positionMs * (RATE / 1000)), this.silentFrames * this.frameMs, prob);
    }
    this.vadPending = merged.slice(offset);
    this.events.onProcessed?.(this.now() - arrivedAt);
  }

  /** When packet `seq` arrived (clock ms), while it is kept; null otherwise. */
  arrivalOf(seq: number): number | null {
    for (let i = this.frames.length - 1; i >= 0; i--) if (this.frames[i]!.seq === seq) return this.frames[i]!.arrivedAt;
    return null;
  }

  /** The last packet whose audio ends at or before `sample` (for `covers_seq`). */
  frameAt(sample: number): MicFrameInfo | null {
    let found: MicFrameInfo | null = null;
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.endSample <= sample) {
        found = f;
        break;
      }
    }
    return found ?? this.frames[0] ?? null;
  }

  /**
   * A new connection took the session over: its packets number from 0 again. Queued after the
   * packets already pushed, so those are still processed in order.
   */
  newStream(): void {
    this.chain = this.chain.then(() => {
      this.nextSeq = null;
      this.lastArrivedAt = null;
    });
  }

  /** Waits until every packet pushed so far has been processed. */
  drain(): Promise<void> {
    return this.chain;
  }

  /**
   * The end-of-turn policy decided the silence so far ends the turn: the utterance ends where the
   * silence began. Call only from an event handler (it runs inside the VAD loop).
   */
  endNow(): void {
    if (this.endpointer.state !== 'speaking') return;
    for (const event of this.endpointer.finish()) this.events.onEndpoint(event);
  }

  /** Ends the current speech as if silence followed (mic switched off). */
  finish(): void {
    this.chain = this.chain.then(() => {
      for (const event of this.endpointer.finish()) this.events.onEndpoint(event);
    });
  }

  close(): void {
    this.closed = true;
    this.decoder.destroy();
  }
}

export const MIC_RATE = RATE;
