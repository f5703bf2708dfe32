import { ProviderError } from '@va/pipeline';

export interface RetryOptions {
  /** Extra attempts after the first (0 = no retry). */
  retries: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal | undefined;
  /** Defaults to `err instanceof ProviderError && err.retryable`. */
  isRetryable?: (err: unknown) => boolean;
  onRetry?: (err: unknown, attempt: number) => void;
}

/**
 * Retries an IDEMPOTENT one-shot call (transcribe, embed, health) on retryable ProviderErrors with
 * jittered exponential backoff. Never wrap a stream with this: once a stream has produced its first
 * byte the caller has used it, and replaying would duplicate output.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const base = opts.baseDelayMs ?? 100;
  const max = opts.maxDelayMs ?? 1000;
  const retryable = opts.isRetryable ?? ((e: unknown) => e instanceof ProviderError && e.retryable);
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= opts.retries || !retryable(err) || opts.signal?.aborted) throw err;
      opts.onRetry?.(err, attempt + 1);
      const delay = Math.min(max, base * 2 ** attempt) * (0.5 + Math.random() * 0.5);
      await sleep(delay, opts.signal).catch(() => {
        throw err;
      });
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
