import { describe, expect, it } from 'vitest';
import { ProviderError } from '@va/pipeline';
import { withRetry } from './with-retry.ts';
import { withTimeout } from './with-timeout.ts';

const err = (retryable: boolean): ProviderError => new ProviderError({ provider: 'p', code: retryable ? 'unavailable' : 'bad_request', retryable, message: 'x' });

describe('withRetry', () => {
  it('retries retryable errors up to `retries` times', async () => {
    let calls = 0;
    const r = await withRetry(async () => {
      if (++calls < 3) throw err(true);
      return 'ok';
    }, { retries: 2, baseDelayMs: 1 });
    expect([r, calls]).toEqual(['ok', 3]);
  });

  it('does not retry non-retryable errors, and gives up after the budget', async () => {
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw err(false); }, { retries: 3, baseDelayMs: 1 })).rejects.toMatchObject({ code: 'bad_request' });
    expect(calls).toBe(1);
    calls = 0;
    await expect(withRetry(async () => { calls++; throw err(true); }, { retries: 1, baseDelayMs: 1 })).rejects.toMatchObject({ code: 'unavailable' });
    expect(calls).toBe(2);
  });
});

describe('withTimeout', () => {
  const never = (signal: AbortSignal): Promise<string> => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped'))));
  it('times out with code timeout and aborts the inner signal', async () => {
    await expect(withTimeout(never, { ms: 30, provider: 'p' })).rejects.toMatchObject({ code: 'timeout', retryable: true });
  });
  it('caller abort -> aborted', async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 10);
    await expect(withTimeout(never, { ms: 5000, provider: 'p', signal: ctl.signal })).rejects.toMatchObject({ code: 'aborted', retryable: false });
  });
  it('passes results through', async () => {
    expect(await withTimeout(async () => 5, { ms: 100, provider: 'p' })).toBe(5);
  });
});
