import { Mp3Encoder } from '@breezystack/lamejs';

/** Encodes mono 16-bit PCM as MP3 (pure-JS LAME). */
export function encodeMp3(pcm: Int16Array, sampleRate: number, kbps = 64): Buffer {
  const enc = new Mp3Encoder(1, sampleRate, kbps);
  const out: Buffer[] = [];
  const add = (b: ArrayBufferView): void => void out.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  const block = 1152 * 8;
  for (let i = 0; i < pcm.length; i += block) add(enc.encodeBuffer(pcm.subarray(i, i + block)));
  add(enc.flush());
  return Buffer.concat(out);
}
