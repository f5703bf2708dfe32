/** Minimal RIFF/WAVE for 16-bit PCM: encode (uploads to STT) and decode (non-streaming TTS). */

/** 16-bit PCM RIFF writer: the engine's own (uploads to STT). */
export { encodeWav as encodeWav16 } from '@va/pipeline';

/** Little-endian s16 bytes (even length) -> samples, copying so alignment never matters. */
export function bytesToInt16(bytes: Uint8Array): Int16Array {
  const n = bytes.byteLength >> 1;
  const out = new Int16Array(n);
  const v = new DataView(bytes.buffer, bytes.byteOffset, n * 2);
  for (let i = 0; i < n; i++) out[i] = v.getInt16(i * 2, true);
  return out;
}

export function int16ToBytes(pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length * 2);
  const v = new DataView(out.buffer);
  for (let i = 0; i < pcm.length; i++) v.setInt16(i * 2, pcm[i]!, true);
  return out;
}

export interface DecodedWav {
  sampleRate: number;
  /** Mono (multi-channel input is averaged). */
  pcm: Int16Array;
}

/**
 * Parses a 16-bit PCM RIFF file. Streamed WAVs carry placeholder sizes (0 or 0xFFFFFFFF), so a
 * `data` size past the end of the buffer means "the rest of the bytes".
 */
export function decodeWav16(bytes: Uint8Array): DecodedWav {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (off: number): string => String.fromCharCode(...bytes.subarray(off, off + 4));
  if (bytes.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let off = 12;
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  while (off + 8 <= bytes.byteLength) {
    const id = tag(off);
    const size = v.getUint32(off + 4, true);
    const body = off + 8;
    if (id === 'fmt ') {
      if (size < 16) throw new Error('short fmt chunk');
      fmt = { format: v.getUint16(body, true), channels: v.getUint16(body + 2, true), rate: v.getUint32(body + 4, true), bits: v.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!fmt) throw new Error('data chunk before fmt chunk');
      if ((fmt.format !== 1 && fmt.format !== 0xfffe) || fmt.bits !== 16 || fmt.channels < 1) {
        throw new Error(`unsupported WAV encoding (format ${fmt.format}, ${fmt.bits} bit)`);
      }
      const end = size === 0 || body + size > bytes.byteLength ? bytes.byteLength : body + size;
      const frame = fmt.channels * 2;
      const frames = Math.floor((end - body) / frame);
      const pcm = new Int16Array(frames);
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < fmt.channels; c++) sum += v.getInt16(body + i * frame + c * 2, true);
        pcm[i] = Math.round(sum / fmt.channels);
      }
      return { sampleRate: fmt.rate, pcm };
    }
    off = body + size + (size & 1);
  }
  throw new Error('no data chunk');
}
