/** The one WAV (RIFF/WAVE) codec: 16-bit PCM out; PCM 8/16/24/32-bit and IEEE float in. */
import { mixToMono } from './pcm.ts';

export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

export interface DecodedWav {
  sampleRate: number;
  channels: number;
  /** Interleaved 16-bit samples when channels > 1 (other encodings are converted). */
  pcm: Int16Array;
}

/** A 44-byte-header RIFF/WAVE file holding `pcm` (interleaved when channels > 1). */
export function encodeWav(pcm: Int16Array, sampleRate: number, channels = 1): Uint8Array {
  const dataBytes = pcm.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const v = new DataView(out.buffer);
  const ascii = (off: number, s: string): void => {
    for (let i = 0; i < s.length; i++) out[off + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels * 2, true);
  v.setUint16(32, channels * 2, true);
  v.setUint16(34, 16, true);
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
  for (let i = 0; i < pcm.length; i++) v.setInt16(44 + i * 2, pcm[i]!, true);
  return out;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

interface Fmt {
  format: number;
  channels: number;
  sampleRate: number;
  bits: number;
}

/**
 * Parse a RIFF/WAVE file. Skips unknown chunks (LIST, fact, ...), honours the pad byte after
 * odd-sized chunks, and reads a data size of 0 or one past the end of the bytes (streamed WAV
 * headers) as "the rest of the bytes". Anything else throws WavFormatError.
 */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (off: number): string => String.fromCharCode(bytes[off]!, bytes[off + 1]!, bytes[off + 2]!, bytes[off + 3]!);
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new WavFormatError('not a RIFF/WAVE file');
  let off = 12;
  let fmt: Fmt | undefined;
  while (off + 8 <= bytes.length) {
    const id = tag(off);
    const size = v.getUint32(off + 4, true);
    const body = off + 8;
    if (id === 'fmt ') fmt = readFmt(v, body, size);
    else if (id === 'data') {
      if (!fmt) throw new WavFormatError('data chunk before fmt chunk');
      const end = size === 0 || body + size > bytes.length ? bytes.length : body + size;
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, pcm: readSamples(v, body, end, fmt) };
    }
    off = body + size + (size & 1);
  }
  throw new WavFormatError(fmt ? 'no data chunk' : 'no fmt chunk');
}

/** `decodeWav`, down-mixed to mono. */
export function decodeWavMono(bytes: Uint8Array): { sampleRate: number; pcm: Int16Array } {
  const wav = decodeWav(bytes);
  return { sampleRate: wav.sampleRate, pcm: mixToMono(wav.pcm, wav.channels) };
}

function readFmt(v: DataView, body: number, size: number): Fmt {
  if (size < 16 || body + 16 > v.byteLength) throw new WavFormatError('truncated fmt chunk');
  let format = v.getUint16(body, true);
  const channels = v.getUint16(body + 2, true);
  const sampleRate = v.getUint32(body + 4, true);
  const bits = v.getUint16(body + 14, true);
  if (format === WAVE_FORMAT_EXTENSIBLE && size >= 26 && body + 26 <= v.byteLength) format = v.getUint16(body + 24, true);
  if (channels < 1 || channels > 32 || sampleRate < 1) throw new WavFormatError('invalid channel count or sample rate');
  sampleReader(v, format, bits); // throws for encodings we cannot read
  return { format, channels, sampleRate, bits };
}

function readSamples(v: DataView, start: number, end: number, fmt: Fmt): Int16Array {
  const width = fmt.bits / 8;
  const frames = Math.floor((end - start) / (width * fmt.channels));
  const n = frames * fmt.channels;
  const out = new Int16Array(n);
  if (fmt.format === WAVE_FORMAT_PCM && fmt.bits === 16) {
    for (let i = 0; i < n; i++) out[i] = v.getInt16(start + i * 2, true);
    return out;
  }
  const read = sampleReader(v, fmt.format, fmt.bits);
  for (let i = 0; i < n; i++) {
    const x = Math.round(read(start + i * width) * 32768);
    out[i] = x > 32767 ? 32767 : x < -32768 ? -32768 : x;
  }
  return out;
}

/** A reader of one sample as a float in [-1, 1]. */
function sampleReader(v: DataView, format: number, bits: number): (off: number) => number {
  if (format === WAVE_FORMAT_PCM) {
    if (bits === 16) return (o) => v.getInt16(o, true) / 32768;
    if (bits === 8) return (o) => (v.getUint8(o) - 128) / 128;
    if (bits === 24) return (o) => ((v.getUint8(o) | (v.getUint8(o + 1) << 8) | (v.getInt8(o + 2) << 16)) / 8388608);
    if (bits === 32) return (o) => v.getInt32(o, true) / 2147483648;
  }
  if (format === WAVE_FORMAT_FLOAT) {
    if (bits === 32) return (o) => v.getFloat32(o, true);
    if (bits === 64) return (o) => v.getFloat64(o, true);
  }
  if (format !== WAVE_FORMAT_PCM && format !== WAVE_FORMAT_FLOAT) throw new WavFormatError(`unsupported WAV format tag ${format} (PCM or float only)`);
  throw new WavFormatError(`unsupported bit depth ${bits} for format ${format}`);
}
