import type { Clock, Logger } from '@va/pipeline';
import { errorSummary, isPermanentDbError } from './db-errors.ts';

export interface WriteQueueOptions<T> {
  /** Writes the records all-or-nothing, in order. Must be idempotent (upserts). */
  write(batch: T[]): Promise<void>;
  /** Ids for log lines; never user text. */
  describe(rec: T): Record<string, unknown>;
  logger: Logger;
  clock: Clock;
  /** First retry delay; doubles per consecutive failure up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Bound on queued records. When full, the OLDEST record is dropped (counted, logged). */
  maxQueue?: number;
  batchSize?: number;
  /** A record rejected by the database itself (bad data) is dropped after this many attempts. */
  maxPermanentAttempts?: number;
}

export interface WriteQueueStats {
  pending: number;
  written: number;
  /** Dropped because the queue was full (oldest first). */
  droppedOverflow: number;
  /** Dropped because the database rejected the record itself, repeatedly. */
  droppedRejected: number;
  consecutiveFailures: number;
}

interface Entry<T> {
  seq: number;
  rec: T;
  attempts: number;
}

/**
 * An ordered, bounded queue drained by one background writer. `push` never blocks and never
 * throws. While the database is unreachable the writer keeps every record and retries with
 * exponential backoff until it is written.
 */
export class WriteQueue<T> {
  private readonly q: Entry<T>[] = [];
  private seq = 0;
  private written = 0;
  private droppedOverflow = 0;
  private droppedRejected = 0;
  private failures = 0;
  private outageStartedAt: number | undefined;
  /** After a batch hit a record-level error, write one at a time up to this seq to isolate it. */
  private singleUntil = -1;
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly sleepAbort = new AbortController();
  private readonly loop: Promise<void>;
  private readonly maxQueue: number;
  private readonly batchSize: number;

  constructor(private readonly o: WriteQueueOptions<T>) {
    this.maxQueue = o.maxQueue ?? 10_000;
    this.batchSize = o.batchSize ?? 50;
    this.loop = this.run();
  }

  push(rec: T): void {
    if (this.stopped) {
      this.droppedOverflow++;
      this.o.logger.error({ ...this.o.describe(rec) }, 'conversation log closed; record dropped');
      return;
    }
    if (this.q.length >= this.maxQueue) {
      const old = this.q.shift();
      this.droppedOverflow++;
      if (this.droppedOverflow === 1 || this.droppedOverflow % 1000 === 0) {
        this.o.logger.error(
          { dropped: this.droppedOverflow, maxQueue: this.maxQueue, ...(old ? this.o.describe(old.rec) : {}) },
          'conversation log queue full; dropped oldest record',
        );
      }
    }
    this.q.push({ seq: this.seq++, rec, attempts: 0 });
    this.wake?.();
  }

  pending(): number {
    return this.q.length;
  }

  stats(): WriteQueueStats {
    return {
      pending: this.q.length,
      written: this.written,
      droppedOverflow: this.droppedOverflow,
      droppedRejected: this.droppedRejected,
      consecutiveFailures: this.failures,
    };
  }

  /** Resolves true once the queue is empty, false if `timeoutMs` passes first. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.q.length === 0) return true;
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const emptied = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const timedOut = new Promise<boolean>((resolve) => {
      timer = this.o.clock.setTimeout(() => resolve(false), timeoutMs);
    });
    const out = await Promise.race([emptied, timedOut]);
    if (timer !== undefined) this.o.clock.clearTimeout(timer);
    return out;
  }

  /** Stops the writer; waits at most `graceMs` for an in-flight write to settle. */
  async stop(graceMs = 1_000): Promise<void> {
    this.stopped = true;
    this.sleepAbort.abort(new Error('write queue stopped'));
    this.wake?.();
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    await Promise.race([
      this.loop,
      new Promise<void>((resolve) => {
        timer = this.o.clock.setTimeout(resolve, graceMs);
      }),
    ]);
    if (timer !== undefined) this.o.clock.clearTimeout(timer);
  }

  private removeThrough(seq: number): void {
    while (this.q.length > 0 && (this.q[0]?.seq ?? Infinity) <= seq) this.q.shift();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.q.length === 0) {
        for (const w of this.idleWaiters.splice(0)) w();
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      const head = this.q[0];
      const size = head && head.seq <= this.singleUntil ? 1 : this.batchSize;
      const batch = this.q.slice(0, size);
      const last = batch[batch.length - 1];
      if (!last) continue;
      try {
        await this.o.write(batch.map((e) => e.rec));
        this.removeThrough(last.seq);
        this.written += batch.length;
        if (this.outageStartedAt !== undefined) {
          this.o.logger.info(
            { outageMs: this.o.clock.now() - this.outageStartedAt, pending: this.q.length },
            'conversation log writes resumed',
          );
          this.outageStartedAt = undefined;
        }
        this.failures = 0;
      } catch (err) {
        if (this.stopped) return;
        if (isPermanentDbError(err)) {
          this.onRejected(batch, err);
          continue;
        }
        this.failures++;
        if (this.outageStartedAt === undefined) {
          this.outageStartedAt = this.o.clock.now();
          this.o.logger.warn({ ...errorSummary(err), pending: this.q.length }, 'conversation log write failed; retrying');
        } else {
          this.o.logger.debug({ ...errorSummary(err), pending: this.q.length, failures: this.failures }, 'conversation log retry failed');
        }
        const base = this.o.retryDelayMs ?? 250;
        const delay = Math.min(this.o.maxRetryDelayMs ?? 10_000, base * 2 ** Math.min(this.failures - 1, 16));
        try {
          await this.o.clock.sleep(delay, this.sleepAbort.signal);
        } catch {
          return; // stopped
        }
      }
    }
  }

  private onRejected(batch: Entry<T>[], err: unknown): void {
    const last = batch[batch.length - 1];
    const first = batch[0];
    if (!first || !last) return;
    if (batch.length > 1) {
      this.singleUntil = last.seq; // retry one by one to find the bad record
      return;
    }
    first.attempts++;
    if (first.attempts < (this.o.maxPermanentAttempts ?? 3)) return;
    this.removeThrough(first.seq);
    this.droppedRejected++;
    this.o.logger.error(
      { ...errorSummary(err), ...this.o.describe(first.rec), dropped: this.droppedRejected },
      'conversation log record rejected by the database; dropped',
    );
  }
}
