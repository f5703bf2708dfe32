import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SPHINX_TESTDATA, goForward } from '@va/testkit';
import { concatPcm, float32ToPcm16, mixToMono, pcm16ToFloat32, pcmFromBytes, pcmToBytes, rms } from './pcm.ts';
import { WavFormatError, decodeWav, encodeWav } from './wav.ts';

const dir = mkdtempSync(join(tmpdir(), 'wav-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sox(args: string[]): Uint8Array {
  const out = join(dir, `f${Math.random().toString(36).slice(2)}.wav`);
  execFileSync('sox', [...args.slice(0, -1), out, ...args.slice(-1)[0]!.split(' ')]);
  return new Uint8Array(readFileSync(out));
}

/** Insert a chunk between the RIFF header and the rest of the file, fixing the RIFF size. */
function withChunkAfterHeader(wav: Uint8Array, id: string, body: Uint8Array): Uint8Array {
  const pad = body.length & 1;
  const chunk = new Uint8Array(8 + body.length + pad);
  for (let i = 0; i < 4; i++) chunk[i] = id.charCodeAt(i);
  new DataView(chunk.buffer).setUint32(4, body.length, true);
  chunk.set(body, 8);
  const out = new Uint8Array(wav.length + chunk.length);
  out.set(wav.subarray(0, 12));
  out.set(chunk, 12);
  out.set(wav.subarray(12), 12 + chunk.length);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}

describe('wav', () => {
  it('round-trips real speech', () => {
    const pcm = goForward().pcm;
    const d = decodeWav(encodeWav(pcm, 16000));
    expect(d.sampleRate).toBe(16000);
    expect(d.channels).toBe(1);
    expect(d.pcm).toEqual(pcm);
  });

  it('decodes WAV files written by other tools (pocketsphinx data, sox)', () => {
    const d = decodeWav(new Uint8Array(readFileSync(`${SPHINX_TESTDATA}/cards/001.wav`)));
    expect(d).toMatchObject({ sampleRate: 16000, channels: 1 });
    expect(d.pcm.length).toBe(17526);
    const stereo = decodeWav(sox(['-n', '-r', '44100', '-c', '2', '-b', '16', 'synth 0.1 sine 440']));
    expect(stereo).toMatchObject({ sampleRate: 44100, channels: 2 });
    expect(stereo.pcm.length).toBe(4410 * 2);
    expect(mixToMono(stereo.pcm, 2).length).toBe(4410);
  });

  it('skips LIST chunks, including odd-sized ones with a pad byte', () => {
    const base = encodeWav(Int16Array.from([1, -2, 3, 32767, -32768]), 22050);
    for (const len of [4, 5, 13]) {
      const body = new Uint8Array(len).fill(0x41);
      const d = decodeWav(withChunkAfterHeader(base, 'LIST', body));
      expect(d.sampleRate).toBe(22050);
      expect(Array.from(d.pcm)).toEqual([1, -2, 3, 32767, -32768]);
    }
    const withComment = sox(['-n', '--comment', 'made by sox, odd length!', '-r', '16000', '-b', '16', 'synth 0.05 sine 300']);
    expect(decodeWav(withComment).pcm.length).toBe(800);
  });

  it('takes what is there when the data size is larger than the file (streamed header), dropping a split sample', () => {
    const wav = encodeWav(Int16Array.from([10, 20, 30]), 44100);
    new DataView(wav.buffer).setUint32(40, 0xffffffff, true);
    expect(Array.from(decodeWav(wav.subarray(0, wav.length - 1)).pcm)).toEqual([10, 20]);
  });

  it('reads 8/24/32-bit PCM and float WAVs as 16-bit, matching the 16-bit file sample for sample', () => {
    const synth = 'synth 0.05 sine 300 vol 0.5';
    const ref = decodeWav(sox(['-n', '-r', '16000', '-b', '16', synth])).pcm;
    for (const enc of [['-b', '24'], ['-b', '32'], ['-e', 'floating-point', '-b', '32'], ['-e', 'floating-point', '-b', '64']]) {
      const d = decodeWav(sox(['-n', '-r', '16000', ...enc, synth]));
      expect(d.pcm.length).toBe(ref.length);
      expect(Math.max(...d.pcm.map((x, i) => Math.abs(x - ref[i]!)))).toBeLessThanOrEqual(1);
    }
    const u8 = decodeWav(sox(['-n', '-r', '16000', '-b', '8', '-e', 'unsigned', synth])).pcm;
    expect(Math.max(...u8.map((x, i) => Math.abs(x - ref[i]!)))).toBeLessThanOrEqual(512); // 8-bit step plus sox's dither
  });

  it('reads a data size of 0 (streamed header) as the rest of the file', () => {
    const wav = encodeWav(Int16Array.from([7, 8, 9]), 16000);
    new DataView(wav.buffer).setUint32(40, 0, true);
    expect(Array.from(decodeWav(wav).pcm)).toEqual([7, 8, 9]);
  });

  it('throws WavFormatError for unreadable encodings or garbage', () => {
    expect(() => decodeWav(sox(['-n', '-r', '8000', '-e', 'u-law', 'synth 0.05 sine 300']))).toThrow(/format tag 7/);
    const twelveBit = encodeWav(new Int16Array(4), 16000);
    new DataView(twelveBit.buffer).setUint16(34, 12, true);
    expect(() => decodeWav(twelveBit)).toThrow(/bit depth 12/);
    expect(() => decodeWav(new TextEncoder().encode('ID3 this is an mp3, honest'))).toThrow(WavFormatError);
    expect(() => decodeWav(encodeWav(new Int16Array(4), 16000).subarray(0, 30))).toThrow(WavFormatError);
  });

  it('converts between Int16 and Float32 and measures level', () => {
    const f = pcm16ToFloat32(Int16Array.from([-32768, 0, 16384, 32767]));
    expect(Array.from(f)).toEqual([-1, 0, 0.5, 32767 / 32768]);
    expect(Array.from(float32ToPcm16(Float32Array.from([-1.5, -1, 0, 0.5, 1, 2])))).toEqual([-32768, -32768, 0, 16384, 32767, 32767]);
    expect(rms(new Int16Array(100).fill(16384))).toBeCloseTo(0.5, 6);
    expect(rms(new Float32Array(0))).toBe(0);
    expect(Array.from(mixToMono(Int16Array.from([100, 300, -10, -20, 5]), 2))).toEqual([200, -15]);
    expect(Array.from(concatPcm([Int16Array.from([1]), new Int16Array(0), Int16Array.from([2, 3])]))).toEqual([1, 2, 3]);
    const samples = Int16Array.from([0, 1, -1, 32767, -32768]);
    const bytes = pcmToBytes(samples);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0, 0, 1, 0]);
    const odd = new Uint8Array(bytes.length + 2);
    odd.set(bytes, 1); // unaligned, with a trailing odd byte
    expect(Array.from(pcmFromBytes(odd.subarray(1)))).toEqual([...samples, 0].slice(0, 5));
  });
});
