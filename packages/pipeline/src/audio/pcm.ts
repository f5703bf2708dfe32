/** 16-bit PCM helpers: the one place for sample conversion, byte views, joining and level. */

/** Int16 -> Float32 in [-1, 1). */
export function pcm16ToFloat32(pcm: Int16Array): Float32Array {
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i]! / 32768;
  return out;
}

/** Float32 [-1, 1] -> Int16, rounded and clipped. */
export function float32ToPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i]! * 32768);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

/** Root mean square, normalised to full scale (0..1), for Int16 or [-1, 1] Float32 samples. */
export function rms(samples: Int16Array | Float32Array): number {
  if (samples.length === 0) return 0;
  const scale = samples instanceof Int16Array ? 1 / 32768 : 1;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i]! * scale;
    sum += x * x;
  }
  return Math.sqrt(sum / samples.length);
}

/** Average interleaved channels into mono (a trailing partial frame is dropped). */
export function mixToMono(interleaved: Int16Array, channels: number): Int16Array {
  if (channels === 1) return interleaved.slice();
  if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`invalid channel count ${channels}`);
  const frames = Math.floor(interleaved.length / channels);
  const out = new Int16Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[f * channels + c]!;
    out[f] = Math.round(sum / channels);
  }
  return out;
}

/** The parts one after another. */
export function concatPcm(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

// Byte views copy memory as is: Node runs on little-endian hosts only (x64, arm64), and s16le is the wire format.

/** Little-endian s16 bytes of `pcm` (a view, no copy). */
export function pcmToBytes(pcm: Int16Array): Uint8Array {
  return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

/** Samples from little-endian s16 bytes (copied, so alignment never matters; an odd trailing byte is dropped). */
export function pcmFromBytes(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.byteLength >> 1);
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.length * 2));
  return out;
}
