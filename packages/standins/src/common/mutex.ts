/** A FIFO mutex: callers of `run` execute strictly one at a time, in arrival order. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #waiting = 0;

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
    });
  }
}
