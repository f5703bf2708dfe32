import { describe, expect, it } from 'vitest';
import { PcmBuffer } from './pcm-buffer.ts';

const seq = (from: number, n: number): Int16Array => Int16Array.from({ length: n }, (_, i) => from + i);

describe('PcmBuffer', () => {
  it('grows and slices by absolute position', () => {
    const b = new PcmBuffer({ maxSamples: 100_000 });
    for (let i = 0; i < 50; i++) b.append(seq(i * 1000, 1000));
    expect(b.length).toBe(50_000);
    expect(Array.from(b.slice(1998, 2002))).toEqual([1998, 1999, 2000, 2001]);
    expect(b.slice(49_999, 60_000).length).toBe(1);
  });

  it('drop-oldest keeps the latest maxSamples and keeps absolute positions', () => {
    const b = new PcmBuffer({ maxSamples: 10 });
    b.append(seq(0, 7));
    b.append(seq(7, 7));
    expect(b.length).toBe(10);
    expect(b.startIndex).toBe(4);
    expect(Array.from(b.slice())).toEqual(Array.from(seq(4, 10)));
    expect(Array.from(b.slice(0, 6))).toEqual([4, 5]);
    b.append(seq(14, 25));
    expect(Array.from(b.slice())).toEqual(Array.from(seq(29, 10)));
    expect(b.droppedSamples).toBe(29);
  });

  it('drop-newest keeps the start of the utterance', () => {
    const b = new PcmBuffer({ maxSamples: 10, overflow: 'drop-newest' });
    b.append(seq(0, 7));
    b.append(seq(7, 7));
    expect(Array.from(b.slice())).toEqual(Array.from(seq(0, 10)));
    expect(b.droppedSamples).toBe(4);
    b.clear();
    expect(b.length).toBe(0);
    b.append(seq(5, 2));
    expect(Array.from(b.slice())).toEqual([5, 6]);
  });
});
