/** A FIFO mutex: callers of `run` execute strictly one at a time, in arrival order. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #waiting = 0;
  #releasedAt = Number.NEGATIVE_INFINITY;

  /**
   * When the work of a request that arrived at `arrivedAt` starts, read inside `run`: on arrival
   * if the server was free, else when the previous holder let go (a queued request waits).
   */
  serviceStart(arrivedAt: number): number {
    return Math.max(arrivedAt, this.#releasedAt);
  }

  /** Number of callers holding or waiting for the lock. */
  get queued(): number {
    return this.#waiting;
  }

  run<T>(fn: () => Promise<T> | T): Promise<T> {
    this.#waiting++;
    const result = this.#tail.then(() => fn());
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result.finally(() => {
      this.#waiting--;
      this.#releasedAt = performance.now();
    });
  }
}
