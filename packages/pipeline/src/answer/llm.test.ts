import { describe, expect, it } from 'vitest';
import { FakeClock } from '@va/testkit';
import type { LlmChunk, LlmProvider } from '../ports.ts';
import { llmDeltas, type LlmStats } from './llm.ts';

function scripted(clock: FakeClock, pieces: string[], failAfter?: number): LlmProvider {
  return {
    role: 'llm', type: 'script', baseUrl: 'x', health: async () => ({ ok: true, latencyMs: 0 }),
    async *stream(req): AsyncIterable<LlmChunk> {
      await clock.sleep(150, req.signal);
      yield { type: 'usage', promptTokens: 10, completionTokens: 0 };
      for (const [i, text] of pieces.entries()) {
        if (i === failAfter) throw new Error('stream cut');
        yield { type: 'text', text };
        await clock.sleep(20, req.signal);
      }
      yield { type: 'finish', reason: 'stop' };
    },
  };
}

async function collect(llm: LlmProvider, clock: FakeClock): Promise<{ text: string[]; stats: LlmStats }> {
  const stats: LlmStats = { startedAt: 0, firstTokenMs: null, error: null };
  const text: string[] = [];
  const run = (async () => {
    for await (const d of llmDeltas(llm, clock, { messages: [], signal: new AbortController().signal }, stats)) text.push(d);
  })();
  await clock.advance(1000);
  await run;
  return { text, stats };
}

describe('llmDeltas', () => {
  it('yields only the text, and times the first token', async () => {
    const clock = new FakeClock();
    const { text, stats } = await collect(scripted(clock, ['入園料は', '800円', 'です。']), clock);
    expect(text).toEqual(['入園料は', '800円', 'です。']);
    expect(stats).toMatchObject({ firstTokenMs: 150, error: null });
  });

  it('a stream cut ends the deltas without throwing and keeps the text so far', async () => {
    const clock = new FakeClock();
    const { text, stats } = await collect(scripted(clock, ['入園料は', '800円', 'です。'], 2), clock);
    expect(text).toEqual(['入園料は', '800円']);
    expect((stats.error as Error).message).toBe('stream cut');
  });
});
