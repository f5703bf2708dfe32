import { MIC_AUDIO } from '@va/protocol';
import type { PcmFrame } from './opus-packetizer.ts';

export interface EncodedPacket {
  data: Uint8Array;
  timestampUs: number;
}

/** Encodes 20 ms 48 kHz mono frames into raw Opus packets (no Ogg), in order. */
export interface MicEncoder {
  readonly kind: 'webcodecs' | 'wasm';
  encode(frame: PcmFrame): void;
  close(): void;
}

export class EncoderUnsupportedError extends Error {
  override name = 'EncoderUnsupportedError';
}

const BITRATE = 32_000;

const webCodecsConfig: AudioEncoderConfig = {
  codec: 'opus',
  sampleRate: MIC_AUDIO.sampleRate,
  numberOfChannels: 1,
  bitrate: BITRATE,
  // frameDuration in microseconds; application "voip" favours speech.
  opus: { frameDuration: MIC_AUDIO.frameMs * 1000, complexity: 5, application: 'voip' } as OpusEncoderConfig,
};

async function createWebCodecsEncoder(onPacket: (p: EncodedPacket) => void, onError: (e: Error) => void): Promise<MicEncoder | null> {
  if (typeof AudioEncoder === 'undefined' || typeof AudioData === 'undefined') return null;
  try {
    const support = await AudioEncoder.isConfigSupported(webCodecsConfig);
    if (!support.supported) return null;
  } catch {
    return null;
  }
  const encoder = new AudioEncoder({
    output: (chunk) => {
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      onPacket({ data, timestampUs: chunk.timestamp });
    },
    error: (e) => onError(e instanceof Error ? e : new Error(String(e))),
  });
  encoder.configure(webCodecsConfig);
  return {
    kind: 'webcodecs',
    encode(frame) {
      if (encoder.state !== 'configured') return;
      // The AudioData rate must equal the encoder's rate (48 kHz): frames are already resampled.
      const audio = new AudioData({
        format: 'f32',
        sampleRate: MIC_AUDIO.sampleRate,
        numberOfChannels: 1,
        numberOfFrames: frame.samples.length,
        timestamp: frame.timestampUs,
        data: frame.samples as Float32Array<ArrayBuffer>,
      });
      encoder.encode(audio);
      audio.close();
    },
    close() {
      if (encoder.state !== 'closed') encoder.close();
    },
  };
}

/** libopus compiled to JavaScript (opusscript, asm.js build), loaded only when WebCodecs is missing. */
async function createWasmEncoder(onPacket: (p: EncodedPacket) => void): Promise<MicEncoder | null> {
  try {
    const g = globalThis as { Buffer?: unknown };
    // opusscript returns Buffer.from(...); a copy as Uint8Array is all we need in the browser.
    g.Buffer ??= { from: (x: Uint8Array) => x.slice() };
    const { default: OpusScript } = await import('opusscript');
    const enc = new OpusScript(48000, 1, OpusScript.Application.VOIP, { wasm: false });
    enc.setBitrate(BITRATE);
    const pcm = new Int16Array(MIC_AUDIO.sampleRate / 50);
    return {
      kind: 'wasm',
      encode(frame) {
        for (let i = 0; i < frame.samples.length; i++) {
          const s = Math.max(-1, Math.min(1, frame.samples[i] as number));
          pcm[i] = s < 0 ? s * 0x8000 : s * 0x7fff;
        }
        const out = enc.encode(new Uint8Array(pcm.buffer) as unknown as Parameters<typeof enc.encode>[0], frame.samples.length);
        onPacket({ data: new Uint8Array(out), timestampUs: frame.timestampUs });
      },
      close() {
        enc.delete();
      },
    };
  } catch (e) {
    console.warn('[audio-in] WASM Opus encoder unavailable', e);
    return null;
  }
}

/**
 * WebCodecs AudioEncoder when the browser has it; otherwise the WASM/asm.js libopus fallback.
 * `prefer: 'wasm'` forces the fallback (used by tests and `?encoder=wasm`).
 */
export async function createMicEncoder(
  onPacket: (p: EncodedPacket) => void,
  onError: (e: Error) => void,
  prefer: 'webcodecs' | 'wasm' = 'webcodecs',
): Promise<MicEncoder> {
  const encoder = (prefer === 'webcodecs' ? await createWebCodecsEncoder(onPacket, onError) : null) ?? (await createWasmEncoder(onPacket));
  if (!encoder) throw new EncoderUnsupportedError('no Opus encoder available in this browser');
  return encoder;
}
