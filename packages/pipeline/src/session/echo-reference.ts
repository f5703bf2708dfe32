import type { AudioFrame } from '@va/protocol';
import { createOpusDecoder, type OpusDecoder } from '../audio/opus.ts';
import { pcm16ToFloat32 } from '../audio/pcm.ts';
import type { Clock } from '../ports.ts';
import { EchoGuard } from '../listen/echo-guard.ts';

const RATE = 48_000;

/**
 * What the page is playing, on the session's clock, for the echo guard: every TTS frame sent is
 * decoded and placed where the page will play it (back to back from when the first of a stream
 * was sent: the paced sender's lead is queued there, not played at once).
 */
export class EchoReference {
  readonly guard = new EchoGuard();
  private readonly decoder: OpusDecoder = createOpusDecoder({ sampleRate: RATE });
  private mediaEnd = 0;

  constructor(private readonly clock: Clock) {}

  sent(frame: AudioFrame): void {
    let pcm: Int16Array;
    try {
      pcm = this.decoder.decode(frame.payload);
    } catch {
      return; // a frame we cannot decode cannot be echoed either
    }
    const at = Math.max(this.clock.now(), this.mediaEnd);
    this.guard.playback(pcm, RATE, at);
    this.mediaEnd = at + (pcm.length / RATE) * 1000;
  }

  cleared(): void {
    this.guard.playbackCleared(this.clock.now());
    this.mediaEnd = this.clock.now();
  }

  /** Clock time until which sent audio is still playing on the page (as far as we know). */
  get playingUntil(): number {
    return this.mediaEnd;
  }

  mic(pcm16: Int16Array, arrivedAt: number): void {
    // the packet's audio started its own duration before it arrived
    this.guard.micAudio(pcm16ToFloat32(pcm16), 16_000, arrivedAt - pcm16.length / 16);
  }

  close(): void {
    this.decoder.destroy();
  }
}
