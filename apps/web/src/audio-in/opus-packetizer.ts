import { encodeFrame, FrameKind, MIC_AUDIO } from '@va/protocol';

/** Samples in one 20 ms frame at 48 kHz. */
export const MIC_FRAME_SAMPLES = (MIC_AUDIO.sampleRate * MIC_AUDIO.frameMs) / 1000;

export interface PcmFrame {
  /** Exactly MIC_FRAME_SAMPLES samples at 48 kHz. */
  samples: Float32Array;
  /** Encoder timestamp in microseconds (running sample clock of this capture). */
  timestampUs: number;
  /** performance.now() time at which the frame's last sample was captured. */
  capturedAtMs: number;
}

/**
 * Cuts a 48 kHz sample stream, arriving in chunks of any size, into 20 ms frames for the encoder.
 * Each chunk carries the capture time of its last sample, from which each frame's capture time
 * is derived.
 */
export class FrameAssembler {
  private readonly pending = new Float32Array(MIC_FRAME_SAMPLES);
  private fill = 0;
  private samplesOut = 0;

  push(chunk: Float32Array, chunkEndCapturedAtMs: number): PcmFrame[] {
    const frames: PcmFrame[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(MIC_FRAME_SAMPLES - this.fill, chunk.length - offset);
      this.pending.set(chunk.subarray(offset, offset + take), this.fill);
      this.fill += take;
      offset += take;
      if (this.fill === MIC_FRAME_SAMPLES) {
        const remainingInChunk = chunk.length - offset;
        frames.push({
          samples: this.pending.slice(),
          timestampUs: Math.round((this.samplesOut * 1e6) / MIC_AUDIO.sampleRate),
          capturedAtMs: chunkEndCapturedAtMs - (remainingInChunk * 1000) / MIC_AUDIO.sampleRate,
        });
        this.samplesOut += MIC_FRAME_SAMPLES;
        this.fill = 0;
      }
    }
    return frames;
  }

  /** Samples waiting for the next frame. */
  get buffered(): number {
    return this.fill;
  }

  reset(): void {
    this.fill = 0;
    this.samplesOut = 0;
  }
}

/**
 * Numbers encoded Opus packets and wraps them in protocol frames. The sequence is per session and
 * continues across reconnects and mic restarts of the same page, so one instance lives as long as
 * the page. Wraps at 2^32 like the wire field.
 */
export class MicPacketSequencer {
  private nextSeq: number;

  constructor(startSeq = 0) {
    this.nextSeq = startSeq >>> 0;
  }

  /** Builds the binary frame for one Opus packet and advances the sequence. */
  wrap(packet: Uint8Array): { seq: number; bytes: Uint8Array } {
    if (packet.byteLength === 0) throw new RangeError('empty Opus packet');
    const seq = this.nextSeq;
    this.nextSeq = (this.nextSeq + 1) >>> 0;
    return { seq, bytes: encodeFrame({ kind: FrameKind.micOpus, flags: 0, segment: 0, seq, payload: packet }) };
  }

  /** The seq the next packet will get. */
  peek(): number {
    return this.nextSeq;
  }
}

/**
 * Matches encoder output back to the capture time of its input frame (encoders may delay or batch
 * output). Bounded: entries older than `max` frames are forgotten.
 */
export class CaptureClock {
  private readonly byTimestamp = new Map<number, number>();
  constructor(private readonly max = 200) {}

  note(timestampUs: number, capturedAtMs: number): void {
    this.byTimestamp.set(timestampUs, capturedAtMs);
    if (this.byTimestamp.size > this.max) {
      const oldest = this.byTimestamp.keys().next();
      if (!oldest.done) this.byTimestamp.delete(oldest.value);
    }
  }

  take(timestampUs: number): number | undefined {
    const t = this.byTimestamp.get(timestampUs);
    this.byTimestamp.delete(timestampUs);
    return t;
  }
}
