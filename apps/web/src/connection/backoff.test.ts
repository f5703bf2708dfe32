import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@va/protocol';
import { backoffDelay, FATAL_CLOSE_CODES } from './backoff.ts';

describe('backoffDelay', () => {
  const cfg = { baseMs: 500, maxMs: 15_000, jitter: 0.5 };
  it('doubles per attempt and caps', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((a) => backoffDelay(a, cfg, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });
  it('keeps jitter within [half, full]', () => {
    expect(backoffDelay(2, cfg, () => 0)).toBe(1000);
    expect(backoffDelay(2, cfg, () => 0.5)).toBe(1500);
  });
  it('fatal close codes are the non-retryable catalog entries with a close code (besides size)', () => {
    const fromCatalog = Object.values(ERROR_CODES)
      .filter((e) => e.close !== null && !e.retryable && e.close >= 4000)
      .map((e) => e.close);
    expect([...FATAL_CLOSE_CODES].sort()).toEqual(fromCatalog.sort());
  });
});
