import { describe, expect, it } from 'vitest';
import { ProviderError } from '@va/pipeline';
import { withRetry } from './with-retry.ts';

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
