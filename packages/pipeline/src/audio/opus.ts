/**
 * Opus encode/decode over `opusscript` (libopus 1.4 compiled to WASM).
 * opusscript exchanges PCM as little-endian bytes; these wrappers take and return Int16Array.
 */
import OpusScript from 'opusscript';
import { pcmFromBytes } from './pcm.ts';

export type OpusSampleRate = 8000 | 12000 | 16000 | 24000 | 48000;
/** Frame durations libopus accepts. */
export type OpusFrameMs = 2.5 | 5 | 10 | 20 | 40 | 60;

const MAX_PACKET_BYTES = 1276 * 3;

export class OpusDecodeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OpusDecodeError';
  }
}

export class OpusEncodeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OpusEncodeError';
  }
}

export interface OpusDecoder {
  /** Decode one packet. Throws only OpusDecodeError (empty, oversized or corrupt packet). */
  decode(packet: Uint8Array): Int16Array;
  /** Forget the decoder state (new stream). */
  reset(): void;
  destroy(): void;
}

export interface OpusDecoderOptions {
  sampleRate?: OpusSampleRate;
  channels?: 1 | 2;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function createOpusDecoder(opts: OpusDecoderOptions = {}): OpusDecoder {
  const sampleRate = opts.sampleRate ?? 48000;
  const channels = opts.channels ?? 1;
  let codec: OpusScript | undefined = new OpusScript(sampleRate, channels, OpusScript.Application.VOIP);
  const live = (): OpusScript => {
    if (!codec) throw new OpusDecodeError('decoder destroyed');
    return codec;
  };
  return {
    decode(packet) {
      const c = live();
      if (packet.length === 0) throw new OpusDecodeError('empty packet');
      if (packet.length > MAX_PACKET_BYTES) throw new OpusDecodeError(`packet too large (${packet.length} bytes)`);
      try {
        return pcmFromBytes(c.decode(toBuffer(packet)));
      } catch (err) {
        throw new OpusDecodeError(`corrupt Opus packet: ${(err as Error).message}`, { cause: err });
      }
    },
    reset() {
      live().delete();
      codec = new OpusScript(sampleRate, channels, OpusScript.Application.VOIP);
    },
    destroy() {
      codec?.delete();
      codec = undefined;
    },
  };
}

export interface OpusEncoderOptions {
  sampleRate?: OpusSampleRate;
  channels?: 1 | 2;
  /** Bits per second, default 32000. */
  bitrate?: number;
  /** Default 20. */
  frameMs?: OpusFrameMs;
  /** 'voip' for the microphone, 'audio' (default) for synthesised speech. */
  application?: 'voip' | 'audio';
}

export interface OpusEncoder {
  /** Encode exactly one frame of `frameSamples` samples (per channel, interleaved). */
  encode(frame: Int16Array): Uint8Array;
  /** Samples per channel in one frame. */
  readonly frameSamples: number;
  readonly frameMs: OpusFrameMs;
  readonly sampleRate: OpusSampleRate;
  readonly channels: 1 | 2;
  destroy(): void;
}

export function createOpusEncoder(opts: OpusEncoderOptions = {}): OpusEncoder {
  const sampleRate = opts.sampleRate ?? 48000;
  const channels = opts.channels ?? 1;
  const frameMs = opts.frameMs ?? 20;
  if (![2.5, 5, 10, 20, 40, 60].includes(frameMs)) throw new RangeError(`invalid Opus frame duration ${frameMs} ms`);
  const frameSamples = (sampleRate * frameMs) / 1000;
  const app = opts.application === 'voip' ? OpusScript.Application.VOIP : OpusScript.Application.AUDIO;
  let codec: OpusScript | undefined = new OpusScript(sampleRate, channels, app);
  codec.setBitrate(opts.bitrate ?? 32000);
  return {
    frameSamples,
    frameMs,
    sampleRate,
    channels,
    encode(frame) {
      if (!codec) throw new OpusEncodeError('encoder destroyed');
      if (frame.length !== frameSamples * channels) {
        throw new RangeError(`Opus frame must hold ${frameSamples * channels} samples, got ${frame.length}`);
      }
      try {
        const out = codec.encode(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength), frameSamples);
        return new Uint8Array(out);
      } catch (err) {
        throw new OpusEncodeError((err as Error).message, { cause: err });
      }
    },
    destroy() {
      codec?.delete();
      codec = undefined;
    },
  };
}

/**
 * Cuts arbitrary-length PCM into frames of the encoder's size and encodes them.
 * `flush()` pads the last partial frame with silence.
 */
export class OpusPacketizer {
  private readonly encoder: OpusEncoder;
  private readonly frame: Int16Array;
  private filled = 0;

  constructor(encoder: OpusEncoder) {
    this.encoder = encoder;
    this.frame = new Int16Array(encoder.frameSamples * encoder.channels);
  }

  /** Samples waiting for a full frame. */
  get pendingSamples(): number {
    return this.filled;
  }

  push(pcm: Int16Array): Uint8Array[] {
    const packets: Uint8Array[] = [];
    let off = 0;
    while (off < pcm.length) {
      const n = Math.min(this.frame.length - this.filled, pcm.length - off);
      this.frame.set(pcm.subarray(off, off + n), this.filled);
      this.filled += n;
      off += n;
      if (this.filled === this.frame.length) {
        packets.push(this.encoder.encode(this.frame));
        this.filled = 0;
      }
    }
    return packets;
  }

  /** Encode the partial frame padded with silence (nothing if empty). */
  flush(): Uint8Array[] {
    if (this.filled === 0) return [];
    this.frame.fill(0, this.filled);
    this.filled = 0;
    return [this.encoder.encode(this.frame)];
  }

  /** Drop the partial frame (e.g. on barge-in). */
  clear(): void {
    this.filled = 0;
  }
}
