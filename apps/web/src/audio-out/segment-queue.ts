import { DEFAULT_JITTER, SegmentJitterBuffer, type JitterConfig, type JitterItem } from './jitter-buffer.ts';

export interface SegmentInfo {
  segmentId: number;
  turnId: string;
}

/** `end` marks that a segment has handed out all its audio (always the segment's last item). */
export type QueueItem<T> = SegmentInfo & { item: JitterItem<T> | { kind: 'end'; seq: -1 }; firstOfSegment: boolean };

interface Entry<T> extends SegmentInfo {
  jitter: SegmentJitterBuffer<T>;
  emitted: number;
}

/**
 * Orders TTS segments as announced (tts.start) and drains them one after another through their
 * own jitter buffers (pure; time is passed in). Only the head segment plays; the next one is
 * already buffering so it starts without a gap.
 */
export class SegmentQueue<T> {
  private readonly entries: Entry<T>[] = [];
  private readonly dropped = new Set<number>();

  constructor(private readonly cfg: JitterConfig = DEFAULT_JITTER) {}

  start(segmentId: number, turnId: string): void {
    const existing = this.find(segmentId);
    if (existing && existing.turnId === '') existing.turnId = turnId;
    if (this.dropped.has(segmentId) || existing) return;
    this.entries.push({ segmentId, turnId, jitter: new SegmentJitterBuffer<T>(this.cfg), emitted: 0 });
  }

  /** A frame for a segment not yet announced creates it (turn unknown) so no audio is lost. */
  push(segmentId: number, seq: number, data: T, nowMs: number, last: boolean): boolean {
    if (this.dropped.has(segmentId)) return false;
    let entry = this.find(segmentId);
    if (!entry) {
      this.start(segmentId, '');
      entry = this.find(segmentId);
    }
    return entry?.jitter.push(seq, data, nowMs, last) === 'ok';
  }

  /** tts.end: the segment had `durationMs` of audio in `frameMs` packets. */
  end(segmentId: number, durationMs: number): void {
    const entry = this.find(segmentId);
    if (entry) entry.jitter.setFinalSeq(Math.ceil(durationMs / this.cfg.frameMs - 1e-6) - 1);
  }

  pull(nowMs: number): QueueItem<T>[] {
    const out: QueueItem<T>[] = [];
    while (this.entries.length > 0) {
      const head = this.entries[0] as Entry<T>;
      const items = head.jitter.pull(nowMs);
      for (const item of items) {
        out.push({ segmentId: head.segmentId, turnId: head.turnId, item, firstOfSegment: head.emitted === 0 });
        head.emitted++;
      }
      if (!head.jitter.done) break;
      out.push({ segmentId: head.segmentId, turnId: head.turnId, item: { kind: 'end', seq: -1 }, firstOfSegment: head.emitted === 0 });
      this.entries.shift();
      this.dropped.add(head.segmentId);
    }
    return out;
  }

  nextWakeMs(nowMs: number): number | null {
    return this.entries[0]?.jitter.nextWakeMs(nowMs) ?? null;
  }

  /** Drops queued segments of one turn (or all); returns the dropped segment ids. */
  clear(turnId?: string): number[] {
    const removed: number[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i] as Entry<T>;
      if (turnId === undefined || e.turnId === turnId || e.turnId === '') {
        removed.push(e.segmentId);
        this.dropped.add(e.segmentId);
        this.entries.splice(i, 1);
      }
    }
    return removed.reverse();
  }

  get pending(): SegmentInfo[] {
    return this.entries.map(({ segmentId, turnId }) => ({ segmentId, turnId }));
  }

  private find(segmentId: number): Entry<T> | undefined {
    return this.entries.find((e) => e.segmentId === segmentId);
  }
}
