export interface DecodedAudio {
  sampleRate: number;
  /** Mono samples (down-mixed), float in [-1, 1]. */
  samples: Float32Array;
}

export class AudioDecodeError extends Error {}

/** Decodes a RIFF/WAVE file (PCM 8/16/24/32-bit or IEEE float 32, 1..8 channels) to mono float. */
export function decodeWav(buf: Buffer): DecodedAudio {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new AudioDecodeError('not a RIFF/WAVE file');
  }
  let pos = 12;
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('ascii', pos, pos + 4);
    let size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) throw new AudioDecodeError('short fmt chunk');
      let format = buf.readUInt16LE(body);
      if (format === 0xfffe && size >= 26) format = buf.readUInt16LE(body + 24); // WAVE_FORMAT_EXTENSIBLE
      fmt = { format, channels: buf.readUInt16LE(body + 2), rate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) throw new AudioDecodeError('data chunk before fmt chunk');
      // Streaming writers leave placeholder sizes (0 or 0xffffffff): trust the byte count then.
      if (size === 0 || body + size > buf.length) size = buf.length - body;
      return { sampleRate: fmt.rate, samples: toMono(buf.subarray(body, body + size), fmt) };
    }
    pos = body + size + (size & 1);
  }
  throw new AudioDecodeError('no data chunk');
}

function toMono(data: Buffer, fmt: { format: number; channels: number; rate: number; bits: number }): Float32Array {
  const { format, channels, bits, rate } = fmt;
  if (channels < 1 || channels > 8 || rate < 1000 || rate > 384000) throw new AudioDecodeError('bad wav header');
  const bytes = bits / 8;
  const frame = bytes * channels;
  if (!Number.isInteger(bytes) || frame === 0) throw new AudioDecodeError('bad bit depth');
  const read = sampleReader(data, format, bits);
  const n = Math.floor(data.length / frame);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let c = 0; c < channels; c++) acc += read(i * frame + c * bytes);
    out[i] = acc / channels;
  }
  return out;
}

function sampleReader(d: Buffer, format: number, bits: number): (off: number) => number {
  if (format === 1 && bits === 16) return (o) => d.readInt16LE(o) / 32768;
  if (format === 1 && bits === 8) return (o) => (d[o]! - 128) / 128;
  if (format === 1 && bits === 24) return (o) => d.readIntLE(o, 3) / 8388608;
  if (format === 1 && bits === 32) return (o) => d.readInt32LE(o) / 2147483648;
  if (format === 3 && bits === 32) return (o) => d.readFloatLE(o);
  if (format === 3 && bits === 64) return (o) => d.readDoubleLE(o);
  throw new AudioDecodeError(`unsupported wav encoding (format ${format}, ${bits} bits)`);
}

/** A 16-bit mono PCM RIFF/WAVE file. */
export function encodeWav(pcm: Int16Array, sampleRate: number): Buffer {
  const data = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

export function floatToInt16(x: Float32Array): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = Math.round(x[i]! * 32768);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

export function int16ToFloat(x: Int16Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! / 32768;
  return out;
}

/** Little-endian bytes of 16-bit PCM (a copy-free view). */
export function pcmBytes(pcm: Int16Array): Buffer {
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

/** Int16 samples from little-endian bytes (copies; an odd trailing byte is dropped). */
export function pcmFromBytes(b: Buffer): Int16Array {
  const n = b.length >> 1;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = b.readInt16LE(i * 2);
  return out;
}
