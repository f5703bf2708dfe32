import { createOpusDecoder, type OpusDecoder } from '@va/pipeline';
import type { AudioFrame } from '@va/protocol';
import { RATE } from './clips.ts';

/** What the page's player does with the avatar's audio, on the benchmark's clock. */
export interface PlayedSegment {
  segment: number;
  text: string;
  startMs: number;
  endMs: number;
}

/**
 * The page's playback, modelled: TTS frames are decoded and played back to back, a frame no
 * earlier than its arrival plus the jitter buffer's target; `playback.clear` stops it at once.
 * `gain` follows the server's ducking events. The rendered signal is what a laptop's microphone
 * picks up as echo.
 */
export class Speaker {
  private readonly decoder: OpusDecoder = createOpusDecoder({ sampleRate: RATE });
  private readonly chunks: Array<{ startMs: number; pcm: Int16Array; segment: number }> = [];
  private readonly texts = new Map<number, string>();
  private endMs = 0;
  /** Time the first sample of the avatar's voice was played. */
  firstPlayedMs: number | null = null;

  constructor(private readonly jitterMs = 60) {}

  segmentText(segment: number, text: string): void {
    this.texts.set(segment, text);
  }

  receive(frame: AudioFrame, nowMs: number): void {
    const pcm = this.decoder.decode(frame.payload);
    const startMs = Math.max(nowMs + this.jitterMs, this.endMs);
    this.chunks.push({ startMs, pcm, segment: frame.segment });
    this.endMs = startMs + (pcm.length / RATE) * 1000;
    this.firstPlayedMs ??= startMs;
  }

  /** playback.clear: everything queued after `nowMs` is dropped. */
  clear(nowMs: number): void {
    for (let i = this.chunks.length - 1; i >= 0; i--) {
      const c = this.chunks[i]!;
      if (c.startMs >= nowMs) this.chunks.splice(i, 1);
      else c.pcm = c.pcm.subarray(0, Math.min(c.pcm.length, Math.round(((nowMs - c.startMs) / 1000) * RATE)));
    }
    this.endMs = Math.min(this.endMs, nowMs);
  }

  get playingUntilMs(): number {
    return this.endMs;
  }

  /** Adds the played signal of [fromMs, fromMs + out.length) times `gain` into `out`. */
  mixInto(out: Float32Array, fromMs: number, gain: number): void {
    const from = Math.round((fromMs / 1000) * RATE);
    for (const c of this.chunks) {
      const start = Math.round((c.startMs / 1000) * RATE);
      for (let i = Math.max(0, from - start); i < c.pcm.length; i++) {
        const at = start + i;
        if (at >= from + out.length) break;
        out[at - from]! += (c.pcm[i]! / 32768) * gain;
      }
    }
  }

  /** Segments as played (their text and time span), for an STT that hears the echo. */
  played(): PlayedSegment[] {
    const spans = new Map<number, PlayedSegment>();
    for (const c of this.chunks) {
      const end = c.startMs + (c.pcm.length / RATE) * 1000;
      const s = spans.get(c.segment);
      if (s) s.endMs = Math.max(s.endMs, end);
      else spans.set(c.segment, { segment: c.segment, text: this.texts.get(c.segment) ?? '', startMs: c.startMs, endMs: end });
    }
    return [...spans.values()];
  }

  destroy(): void {
    this.decoder.destroy();
  }
}
