import { describe, expect, it } from 'vitest';
import { decodeFrame, FrameKind } from '@va/protocol';
import { CaptureClock, FrameAssembler, MIC_FRAME_SAMPLES, MicPacketSequencer } from './opus-packetizer.ts';

describe('FrameAssembler', () => {
  it('cuts arbitrary chunks into 960-sample frames without losing or reordering samples', () => {
    const a = new FrameAssembler();
    const frames = [];
    let value = 0;
    let t = 0;
    for (let i = 0; i < 100; i++) {
      const size = 1 + ((i * 131) % 700);
      const chunk = new Float32Array(size);
      for (let k = 0; k < size; k++) chunk[k] = value++;
      t += (size * 1000) / 48000;
      frames.push(...a.push(chunk, t));
    }
    expect(frames.length).toBe(Math.floor(value / MIC_FRAME_SAMPLES));
    expect(a.buffered).toBe(value % MIC_FRAME_SAMPLES);
    frames.forEach((f, i) => {
      expect(f.samples.length).toBe(MIC_FRAME_SAMPLES);
      expect(f.samples[0]).toBe(i * MIC_FRAME_SAMPLES);
      expect(f.samples[MIC_FRAME_SAMPLES - 1]).toBe((i + 1) * MIC_FRAME_SAMPLES - 1);
      expect(f.timestampUs).toBe(i * 20_000);
      // The frame's last sample is sample number (i+1)*960 - 1, captured at ((i+1)*960)/48 ms.
      expect(f.capturedAtMs).toBeCloseTo(((i + 1) * MIC_FRAME_SAMPLES * 1000) / 48000, 6);
    });
  });

  it('emits several frames from one large chunk', () => {
    const frames = new FrameAssembler().push(new Float32Array(MIC_FRAME_SAMPLES * 3 + 5), 100);
    expect(frames.map((f) => f.timestampUs)).toEqual([0, 20_000, 40_000]);
    expect(frames[2]?.capturedAtMs).toBeCloseTo(100 - (5 * 1000) / 48000, 6);
  });
});

describe('MicPacketSequencer', () => {
  it('numbers packets consecutively and builds mic frames', () => {
    const s = new MicPacketSequencer();
    const a = s.wrap(new Uint8Array([1, 2]));
    const b = s.wrap(new Uint8Array([3]));
    expect([a.seq, b.seq]).toEqual([0, 1]);
    const frame = decodeFrame(b.bytes);
    expect(frame).toMatchObject({ kind: FrameKind.micOpus, segment: 0, seq: 1, flags: 0 });
    expect(Array.from(frame.payload)).toEqual([3]);
  });

  it('continues from a start value and wraps at 2^32', () => {
    const s = new MicPacketSequencer(0xffffffff);
    expect(s.wrap(new Uint8Array([1])).seq).toBe(0xffffffff);
    expect(s.wrap(new Uint8Array([1])).seq).toBe(0);
    expect(s.peek()).toBe(1);
  });

  it('refuses an empty packet', () => {
    expect(() => new MicPacketSequencer().wrap(new Uint8Array(0))).toThrow();
  });
});

describe('CaptureClock', () => {
  it('maps timestamps back once and stays bounded', () => {
    const c = new CaptureClock(3);
    for (let i = 0; i < 5; i++) c.note(i, i * 10);
    expect(c.take(0)).toBeUndefined();
    expect(c.take(4)).toBe(40);
    expect(c.take(4)).toBeUndefined();
  });
});
