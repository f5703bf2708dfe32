import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PcmCarry } from './pcm-carry.ts';
import { bytesToInt16, decodeWav16, encodeWav16, int16ToBytes } from './wav.ts';

describe('wav', () => {
  it('round-trips and writes a canonical 44-byte header', () => {
    const pcm = Int16Array.from([0, 1, -1, 32767, -32768]);
    const wav = encodeWav16(pcm, 16000);
    expect(wav.byteLength).toBe(44 + 10);
    expect(Buffer.from(wav.subarray(0, 4)).toString()).toBe('RIFF');
    expect(decodeWav16(wav)).toEqual({ sampleRate: 16000, pcm });
  });

  it('decodes placeholder data sizes and down-mixes stereo', () => {
    const wav = encodeWav16(Int16Array.from([100, 300, -100, -300]), 44100, 2);
    new DataView(wav.buffer).setUint32(40, 0xffffffff, true);
    expect(decodeWav16(wav)).toEqual({ sampleRate: 44100, pcm: Int16Array.from([200, -200]) });
  });

  it('rejects non-RIFF bodies', () => {
    expect(() => decodeWav16(new Uint8Array([1, 2, 3, 4]))).toThrow(/RIFF/);
  });

  it('PcmCarry reassembles any byte split exactly (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 50 }), fc.array(fc.nat(), { maxLength: 10 }), (samples, cuts) => {
        const bytes = int16ToBytes(Int16Array.from(samples));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const carry = new PcmCarry();
        const out: number[] = [];
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          out.push(...carry.push(bytes.subarray(prev, p)));
          prev = p;
        }
        expect(out).toEqual(samples);
        expect(carry.hasCarry).toBe(false);
        expect(Array.from(bytesToInt16(bytes))).toEqual(samples);
      }),
      { numRuns: 300 },
    );
  });
});
