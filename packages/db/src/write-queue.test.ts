import { describe, expect, it } from 'vitest';
import { realClock } from '@va/pipeline';
import { captureLogger } from '@va/testkit';
import { WriteQueue } from './write-queue.ts';

const tick = (ms = 10): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('WriteQueue', () => {
  it('drops the OLDEST record when full, counts it and logs an error', async () => {
    const logger = captureLogger();
    const stored: number[] = [];
    let up = false;
    const q = new WriteQueue<number>({
      logger,
      clock: realClock,
      retryDelayMs: 5,
      maxRetryDelayMs: 5,
      maxQueue: 3,
      write: async (batch) => {
        if (!up) throw Object.assign(new Error('down'), { code: 'ECONNREFUSED' });
        stored.push(...batch);
      },
      describe: (n) => ({ n }),
    });
    for (let n = 1; n <= 5; n++) q.push(n);
    expect(q.pending()).toBe(3);
    expect(q.stats().droppedOverflow).toBe(2);
    expect(logger.lines.some((l) => l.level === 'error' && l.msg?.includes('queue full'))).toBe(true);
    up = true;
    expect(await q.drain(2_000)).toBe(true);
    expect(stored).toEqual([3, 4, 5]);
    await q.stop();
  });

  it('isolates and drops a record the database rejects, keeping order for the rest', async () => {
    const logger = captureLogger();
    const stored: number[] = [];
    const q = new WriteQueue<number>({
      logger,
      clock: realClock,
      retryDelayMs: 1,
      maxPermanentAttempts: 2,
      write: async (batch) => {
        if (batch.includes(3)) throw Object.assign(new Error('invalid input'), { code: '22P02' });
        stored.push(...batch);
      },
      describe: (n) => ({ n }),
    });
    for (let n = 1; n <= 6; n++) q.push(n);
    expect(await q.drain(2_000)).toBe(true);
    expect(stored).toEqual([1, 2, 4, 5, 6]);
    expect(q.stats()).toMatchObject({ droppedRejected: 1, written: 5, pending: 0 });
    await q.stop();
  });

  it('retries transient failures with backoff until written, in order', async () => {
    const stored: number[] = [];
    let failuresLeft = 3;
    const q = new WriteQueue<number>({
      logger: captureLogger(),
      clock: realClock,
      retryDelayMs: 2,
      batchSize: 2,
      write: async (batch) => {
        if (failuresLeft-- > 0) throw new Error('Connection terminated unexpectedly');
        stored.push(...batch);
      },
      describe: (n) => ({ n }),
    });
    for (let n = 1; n <= 5; n++) q.push(n);
    await tick();
    expect(await q.drain(2_000)).toBe(true);
    expect(stored).toEqual([1, 2, 3, 4, 5]);
    await q.stop();
    q.push(9); // after stop: not written, counted
    expect(q.stats().droppedOverflow).toBe(1);
  });
});
