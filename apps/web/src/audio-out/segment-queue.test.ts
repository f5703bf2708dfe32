import { describe, expect, it } from 'vitest';
import { SegmentQueue } from './segment-queue.ts';

const cfg = { frameMs: 40, targetDelayMs: 70, lossDeadlineMs: 80, maxPackets: 20 };

describe('SegmentQueue', () => {
  it('plays segments in announced order, the next one only after the head is done', () => {
    const q = new SegmentQueue<string>(cfg);
    q.start(1, 't');
    q.start(2, 't');
    q.push(2, 0, 'b0', 0, true);
    q.push(1, 0, 'a0', 0, false);
    q.push(1, 1, 'a1', 0, false);
    const first = q.pull(1);
    expect(first.map((i) => [i.segmentId, i.item.seq, i.firstOfSegment])).toEqual([
      [1, 0, true],
      [1, 1, false],
    ]);
    q.push(1, 2, 'a2', 10, true);
    const second = q.pull(11);
    expect(second.map((i) => [i.segmentId, i.item.kind, i.item.seq])).toEqual([
      [1, 'packet', 2],
      [1, 'end', -1],
      [2, 'packet', 0],
      [2, 'end', -1],
    ]);
    expect(q.pending).toEqual([]);
  });

  it('uses tts.end duration to finish a segment whose last packet was lost', () => {
    const q = new SegmentQueue<string>(cfg);
    q.start(5, 't');
    q.push(5, 0, 'a', 0, false);
    q.end(5, 80);
    expect(q.pull(1)).toEqual([]);
    expect(q.pull(70).map((i) => i.item.kind)).toEqual(['packet']);
    const tail = q.pull(150);
    expect(tail.map((i) => i.item.kind)).toEqual(['gap', 'end']);
    expect(q.pending).toEqual([]);
  });

  it('clear drops a turn and ignores its late frames', () => {
    const q = new SegmentQueue<string>(cfg);
    q.start(1, 'a');
    q.start(2, 'b');
    q.push(1, 0, 'x', 0, false);
    expect(q.clear('a')).toEqual([1]);
    expect(q.push(1, 1, 'y', 1, false)).toBe(false);
    expect(q.pending).toEqual([{ segmentId: 2, turnId: 'b' }]);
  });
});
