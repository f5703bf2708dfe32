import { describe, expect, it } from 'vitest';
import { FakeClock } from '@va/testkit';
import type { ServerMessage } from '@va/protocol';
import type { ConversationLog, LlmChunk, TtsChunk } from '../ports.ts';
import { defaultSessionConfig, type SessionDeps } from '../session/types.ts';
import { NOTICES } from './language.ts';
import { runTurn, type TurnInput } from './turn.ts';

/* One answer through its stages on fake time, with scripted model servers (the ports). */
function setup(opts: { answer: string[]; cutAfter?: number; ttsFails?: boolean }) {
  const clock = new FakeClock();
  const noop = () => undefined;
  const logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
  const prompts: string[] = [];
  const ttsTexts: string[] = [];
  const fallbacks: string[] = [];
  const deps: SessionDeps = {
    sessionId: 's', clock, logger, retriever: null, log: {} as ConversationLog, createVad: () => { throw new Error('no mic'); },
    config: { ...defaultSessionConfig },
    metrics: { observeTurn: noop, observePartial: noop, countFallback: (k) => fallbacks.push(k) },
    stt: { role: 'stt', type: 's', baseUrl: 'x', health: async () => ({ ok: true, latencyMs: 0 }), transcribe: async () => ({ text: '' }) },
    llm: {
      role: 'llm', type: 's', baseUrl: 'x', health: async () => ({ ok: true, latencyMs: 0 }),
      async *stream(req): AsyncIterable<LlmChunk> {
        prompts.push(req.messages.map((m) => `${m.role}: ${m.content}`).join('\n'));
        await clock.sleep(150, req.signal);
        for (const [i, text] of opts.answer.entries()) {
          if (i === opts.cutAfter) throw new Error('stream cut');
          yield { type: 'text', text };
          await clock.sleep(20, req.signal);
        }
      },
    },
    tts: {
      role: 'tts', type: 's', baseUrl: 'x', health: async () => ({ ok: true, latencyMs: 0 }),
      async *synthesize(req): AsyncIterable<TtsChunk> {
        ttsTexts.push(req.text);
        await clock.sleep(100, req.signal);
        if (opts.ttsFails) throw new Error('tts down');
        yield { sampleRate: 24_000, pcm: new Int16Array(4800).fill(1000) };
      },
    },
  };
  const events: ServerMessage[] = [];
  const output = { sendEvent: (m: ServerMessage) => events.push(m), sendAudio: () => true };
  let id = 0;
  const input = (userText: string, speak: boolean): TurnInput => ({
    turnId: 't1', mode: 'text', userText, language: 'ja', speak, history: [{ user: '前の質問', assistant: '前の答え' }], startedAt: 0, stages: {},
    signal: new AbortController().signal, nextSegmentId: () => id++, playedMs: () => undefined,
  });
  const run = async (userText: string, speak = true) => {
    const done = runTurn(deps, output, input(userText, speak));
    await clock.advance(10_000);
    return done;
  };
  return { run, events, prompts, ttsTexts, fallbacks };
}

describe('runTurn', () => {
  it('text chat (no voice): the answer streams as deltas, end_to_end is the first token, the history is in the prompt', async () => {
    const t = setup({ answer: ['入園料は', '800円', 'です。'] });
    const r = await t.run('入園料はいくらですか？', false);
    expect(r).toMatchObject({ assistantText: '入園料は800円です。', heardText: '入園料は800円です。', interrupted: false, fallback: null, ttsRequests: 0 });
    expect(r.stages).toMatchObject({ llm_first_token_ms: 150, end_to_end_ms: 150, tts_first_audio_ms: null, retrieval_ms: null });
    expect(t.events.filter((e) => e.type === 'assistant.delta')).toHaveLength(3);
    expect(t.prompts[0]).toContain('user: 前の質問\nassistant: 前の答え\nuser: 入園料はいくらですか？');
    expect(t.ttsTexts).toEqual([]);
  });

  it('a stream cut keeps the text so far, without the apology; the LLM fallback is counted and told in the turn language', async () => {
    const t = setup({ answer: ['入園料は', '800円です。', '中学生以下は無料です。'], cutAfter: 2 });
    const r = await t.run('入園料はいくらですか？');
    expect(r.assistantText).toBe('入園料は800円です。');
    expect(r.fallback).toBe('llm');
    expect(t.fallbacks).toEqual(['llm']);
    expect(t.events.find((e) => e.type === 'error')).toMatchObject({ code: 'llm_failed', message: NOTICES.ja.llmFailed });
    expect(t.ttsTexts).toEqual(['入園料は800円です。']);
  });

  it('TTS failing: the text is still delivered, the failure told once, fallback tts', async () => {
    const t = setup({ answer: ['こんにちは。', '入園料は800円です。', '中学生以下は無料です。'], ttsFails: true });
    const r = await t.run('入園料は？');
    expect(r.assistantText).toBe('こんにちは。入園料は800円です。中学生以下は無料です。');
    expect(r.fallback).toBe('tts');
    expect(t.fallbacks).toEqual(['tts']);
    expect(t.events.filter((e) => e.type === 'error')).toEqual([expect.objectContaining({ code: 'tts_failed', message: NOTICES.ja.ttsFailed })]);
    expect(t.ttsTexts.length).toBe(2); // after two failures the rest is not tried
    expect(t.events.filter((e) => e.type === 'tts.start')).toHaveLength(0);
  });
});
