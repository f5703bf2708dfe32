import { ProviderError } from '@va/pipeline';

/**
 * Runs `fn` with a signal that aborts after `ms` (or when `signal` aborts). A timeout rejects with
 * ProviderError `timeout`; a caller abort with `aborted`. `fn` must honour the signal it is given.
 */
export async function withTimeout<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  opts: { ms: number; provider: string; signal?: AbortSignal | undefined },
): Promise<T> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new Error('timeout')), opts.ms);
  const signal = opts.signal ? AbortSignal.any([opts.signal, ctl.signal]) : ctl.signal;
  try {
    return await new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        if (opts.signal?.aborted) {
          reject(new ProviderError({ provider: opts.provider, code: 'aborted', retryable: false, message: `${opts.provider}: aborted by caller`, cause: opts.signal.reason }));
        } else {
          reject(new ProviderError({ provider: opts.provider, code: 'timeout', retryable: true, message: `${opts.provider}: timeout after ${opts.ms} ms` }));
        }
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      fn(signal).then(resolve, (err: unknown) => (signal.aborted ? onAbort() : reject(err instanceof Error ? err : new Error(String(err)))));
    });
  } finally {
    clearTimeout(timer);
  }
}
