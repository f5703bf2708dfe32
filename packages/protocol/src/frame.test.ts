import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeFrame, encodeFrame, FrameError, FrameKind, FRAME_HEADER_BYTES } from './frame.ts';

describe('binary audio frame codec', () => {
  it('round-trips any header values and payload', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(FrameKind.micOpus, FrameKind.ttsOpus),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.uint8Array({ minLength: 1, maxLength: 400 }),
        (kind, flags, segment, seq, payload) => {
          const decoded = decodeFrame(encodeFrame({ kind, flags, segment, seq, payload }));
          expect(decoded).toEqual({ kind, flags, segment, seq, payload });
        },
      ),
    );
  });

  it('uses the documented big-endian layout', () => {
    const bytes = encodeFrame({ kind: FrameKind.ttsOpus, flags: 1, segment: 0x01020304, seq: 0x0a0b0c0d, payload: new Uint8Array([0xff]) });
    expect(Array.from(bytes)).toEqual([2, 1, 0, 1, 1, 2, 3, 4, 0x0a, 0x0b, 0x0c, 0x0d, 0xff]);
  });

  it('decodes a frame that sits at an offset inside a larger buffer (as ws delivers slices)', () => {
    const frame = encodeFrame({ kind: FrameKind.micOpus, flags: 0, segment: 0, seq: 7, payload: new Uint8Array([1, 2, 3]) });
    const big = new Uint8Array(100);
    big.set(frame, 37);
    const decoded = decodeFrame(big.subarray(37, 37 + frame.byteLength));
    expect(decoded.seq).toBe(7);
    expect(Array.from(decoded.payload)).toEqual([1, 2, 3]);
  });

  it.each([
    ['short header', new Uint8Array(FRAME_HEADER_BYTES - 1)],
    ['empty payload', new Uint8Array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])],
    ['unknown kind', new Uint8Array([9, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5])],
    ['unknown version', new Uint8Array([1, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5])],
  ])('rejects a frame with %s', (_name, bytes) => {
    expect(() => decodeFrame(bytes)).toThrow(FrameError);
  });

  it('rejects an oversized frame', () => {
    expect(() => decodeFrame(new Uint8Array(5000).fill(1), 4096)).toThrow(/exceeds/);
  });
});
