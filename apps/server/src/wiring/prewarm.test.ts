import { describe, expect, it } from 'vitest';
import type { ProviderHealth, ProviderInfo } from '@va/pipeline';
import { createPrewarm } from './prewarm.ts';

function target(role: ProviderInfo['role'], calls: string[]): ProviderInfo {
  return {
    role,
    type: 'test',
    baseUrl: 'http://127.0.0.1:9',
    health: async (): Promise<ProviderHealth> => {
      calls.push(role);
      return { ok: true, latencyMs: 0 };
    },
  } as ProviderInfo;
}

describe('createPrewarm', () => {
  it('probes every target at most once per interval, whatever the number of callers', () => {
    let now = 0;
    const calls: string[] = [];
    const prewarm = createPrewarm([target('llm', calls), target('tts', calls)], 2000, () => now);
    prewarm();
    prewarm();
    now = 1999;
    prewarm();
    expect(calls).toEqual(['llm', 'tts']);
    now = 2000;
    prewarm();
    expect(calls).toEqual(['llm', 'tts', 'llm', 'tts']);
  });
});
