import { describe, expect, it } from 'vitest';
import { DEFAULT_JITTER, SegmentJitterBuffer, type JitterConfig, type JitterItem } from './jitter-buffer.ts';

const cfg: JitterConfig = { frameMs: 40, targetDelayMs: 70, lossDeadlineMs: 80, maxPackets: 10 };
const seqs = (items: JitterItem<string>[]) => items.map((i) => (i.kind === 'gap' ? `gap${i.seq}` : i.seq));

describe('SegmentJitterBuffer', () => {
  it('waits the target delay before starting, then plays in order', () => {
    const jb = new SegmentJitterBuffer<string>(cfg);
    jb.push(0, 'a', 0);
    expect(jb.pull(10)).toEqual([]);
    expect(jb.nextWakeMs(10)).toBe(70);
    expect(seqs(jb.pull(70))).toEqual([0]);
    expect(jb.isStarted).toBe(true);
  });

  it('by default starts with two packets in, or 20 ms after the first', () => {
    const jb = new SegmentJitterBuffer<string>(DEFAULT_JITTER);
    jb.push(0, 'a', 0);
    expect(seqs(jb.pull(3))).toEqual([]);
    jb.push(1, 'b', 4); // the server's start burst: the second packet a few ms behind
    expect(seqs(jb.pull(4))).toEqual([0, 1]);
    // a second packet that is late: the segment starts with one after 20 ms
    const late = new SegmentJitterBuffer<string>(DEFAULT_JITTER);
    late.push(0, 'a', 100);
    expect(late.nextWakeMs(105)).toBe(120);
    expect(seqs(late.pull(119))).toEqual([]);
    expect(seqs(late.pull(120))).toEqual([0]);
    late.push(1, 'b', 150);
    expect(seqs(late.pull(150))).toEqual([1]);
  });

  it('starts early once enough contiguous audio is buffered', () => {
    const jb = new SegmentJitterBuffer<string>(cfg);
    jb.push(0, 'a', 0);
    jb.push(1, 'b', 5);
    expect(seqs(jb.pull(5))).toEqual([0, 1]);
  });

  it('starts at once when the whole (short) segment is in', () => {
    const jb = new SegmentJitterBuffer<string>(cfg);
    jb.push(0, 'a', 0, true);
    expect(seqs(jb.pull(1))).toEqual([0]);
    expect(jb.done).toBe(true);
  });

  it('reorders packets by seq', () => {
    const jb = new SegmentJitterBuffer<string>(cfg);
    jb.push(2, 'c', 0);
    jb.push(0, 'a', 1);
    jb.push(1, 'b', 2);
    expect(seqs(jb.pull(3))).toEqual([0, 1, 2]);
  });

  it('drops duplicates and late packets', () => {
    const jb = new SegmentJitterBuffer<string>(cfg);
    jb.push(0, 'a', 0);
    expect(jb.push(0, 'a', 1)).toBe('duplicate');
    jb.pull(100);
    expect(jb.push(0, 'a', 101)).toBe('late');
  });

  it('fills a missing packet with a gap after the loss deadline', () => {
    const jb = new SegmentJitterBuffer<string>(cfg);
    jb.push(0, 'a', 0);
    jb.push(2, 'c', 30);
    expect(seqs(jb.pull(70))).toEqual([0]);
    expect(seqs(jb.pull(100))).toEqual([]);
    expect(jb.nextWakeMs(100)).toBe(150);
    expect(seqs(jb.pull(150))).toEqual(['gap1', 2]);
  });

  it('uses a late packet that arrives before its deadline', () => {
    const jb = new SegmentJitterBuffer<string>(cfg);
    jb.push(0, 'a', 0);
    jb.push(2, 'c', 30);
    jb.pull(70);
    jb.push(1, 'b', 120);
    expect(seqs(jb.pull(120))).toEqual([1, 2]);
  });

  it('knows the end from the last flag or from setFinalSeq, and fills a lost tail', () => {
    const jb = new SegmentJitterBuffer<string>(cfg);
    jb.push(0, 'a', 0);
    jb.push(1, 'b', 1);
    expect(seqs(jb.pull(2))).toEqual([0, 1]);
    expect(jb.done).toBe(false);
    jb.setFinalSeq(2);
    expect(seqs(jb.pull(3))).toEqual([]);
    expect(seqs(jb.pull(90))).toEqual(['gap2']);
    expect(jb.done).toBe(true);
    expect(jb.push(3, 'x', 91)).toBe('after-end');
  });

  it('an empty segment (final seq -1) is done without output', () => {
    const jb = new SegmentJitterBuffer<string>(cfg);
    jb.setFinalSeq(-1);
    expect(jb.pull(0)).toEqual([]);
    expect(jb.done).toBe(true);
  });

  it('never holds more than maxPackets: forces gaps out when overfull', () => {
    const jb = new SegmentJitterBuffer<string>(cfg);
    jb.push(0, 'a', 0);
    jb.pull(100);
    // seq 1 is lost; 2..12 arrive (11 held > maxPackets 10) within the deadline.
    for (let s = 2; s <= 12; s++) jb.push(s, 'x', 100);
    expect(seqs(jb.pull(101))).toEqual(['gap1', 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(jb.size).toBe(0);
  });

  it('holds at most a bounded number of packets under random arrival (property)', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const jb = new SegmentJitterBuffer<number>(cfg);
    const out: JitterItem<number>[] = [];
    let now = 0;
    const order = Array.from({ length: 200 }, (_, i) => i).sort((a, b) => a + rnd() * 4 - b);
    for (const s of order) {
      now += 40 * rnd() * 2;
      if (rnd() > 0.05) jb.push(s, s, now, s === 199);
      out.push(...jb.pull(now));
      expect(jb.size).toBeLessThanOrEqual(cfg.maxPackets + 1);
    }
    for (let i = 0; i < 50 && !jb.done; i++) out.push(...jb.pull((now += 100)));
    jb.setFinalSeq(199);
    for (let i = 0; i < 50 && !jb.done; i++) out.push(...jb.pull((now += 100)));
    expect(out.map((o) => o.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });
});
