import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WavFormatError, decodeWav, encodeWav, float32ToPcm16, mixToMono, pcm16ToFloat32, rms } from './wav.ts';
import { POCKETSPHINX_DATA, loadGoForward } from './test-fixtures.ts';

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
    const pcm = loadGoForward();
    const d = decodeWav(encodeWav(pcm, 16000));
    expect(d.sampleRate).toBe(16000);
    expect(d.channels).toBe(1);
    expect(d.pcm).toEqual(pcm);
  });

  it('decodes WAV files written by other tools (pocketsphinx data, sox)', () => {
    const d = decodeWav(new Uint8Array(readFileSync(`${POCKETSPHINX_DATA}/cards/001.wav`)));
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

  it('throws WavFormatError for non-PCM16 or garbage', () => {
    expect(() => decodeWav(sox(['-n', '-r', '16000', '-e', 'floating-point', '-b', '32', 'synth 0.05 sine 300']))).toThrow(WavFormatError);
    expect(() => decodeWav(sox(['-n', '-r', '16000', '-b', '8', '-e', 'unsigned', 'synth 0.05 sine 300']))).toThrow(/bit depth/);
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
  });
});
