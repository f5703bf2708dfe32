import { describe, expect, it } from 'vitest';
import { FakeClock } from '@va/testkit';
import type { ServerMessage } from '@va/protocol';
import { ProviderError, type ChatMessage, type ConversationLog, type LlmChunk, type LlmFitInput, type Passage, type ThinkCount, type TtsChunk } from '../ports.ts';
import { defaultSessionConfig, type SessionDeps } from '../session/types.ts';
import { llmApology, NOTICES } from './language.ts';
import { runTurn, type TurnInput } from './turn.ts';

const PASSAGES: Passage[] = ['入園料は大人800円です。', '中学生以下は無料です。', '駐車場は一日500円です。'].map((text, i) => ({
  documentId: 'd1', chunkId: `c${i}`, source: '園内案内.md', text, score: 0.9 - i / 10,
}));

/**
 * A scripted model with a context window of `windowChars` characters: fitPrompt leaves out the
 * worst passages, then the oldest turns, until the rendered prompt fits, and refuses a prompt whose
 * system prompt and question alone do not fit (as the providers' adapter does, in characters).
 */
function fitByChars(windowChars: number) {
  return async <P, H>(input: LlmFitInput<P, H>) => {
    const passages = [...input.passages];
    const history = [...input.history];
    const size = (m: ChatMessage[]) => m.reduce((n, x) => n + x.content.length, 0);
    let messages = input.build(passages, history);
    while (size(messages) > windowChars && (passages.length > 0 || history.length > 0)) {
      if (passages.length > 0) passages.pop();
      else history.shift();
      messages = input.build(passages, history);
    }
    if (size(messages) > windowChars) throw new ProviderError({ provider: 'llm', code: 'bad_request', message: 'prompt exceeds the context window', retryable: false });
    const dropped = { droppedPassages: input.passages.length - passages.length, droppedHistory: input.history.length - history.length };
    return { messages, maxTokens: 64, passages, history, ...dropped, nCtx: windowChars, promptTokens: size(messages) };
  };
}

/* One answer through its stages on fake time, with scripted model servers (the ports). */
function setup(opts: { answer: string[]; cutAfter?: number; ttsFails?: boolean; windowChars?: number; passages?: Passage[]; think?: ThinkCount }) {
  const clock = new FakeClock();
  const noop = () => undefined;
  const warnings: string[] = [];
  const logger = { debug: noop, info: noop, warn: (_o: unknown, msg?: string) => void warnings.push(msg ?? ''), error: noop, child: () => logger };
  const prompts: string[] = [];
  const maxTokens: Array<number | undefined> = [];
  const ttsTexts: string[] = [];
  const fallbacks: string[] = [];
  const deps: SessionDeps = {
    sessionId: 's', clock, logger,
    retriever: opts.passages ? { loaded: true, retrieve: async () => opts.passages! } : null, log: {} as ConversationLog, createVad: () => { throw new Error('no mic'); },
    config: { ...defaultSessionConfig },
    metrics: { observeTurn: noop, observePartial: noop, countFallback: (k) => fallbacks.push(k) },
    stt: { role: 'stt', type: 's', baseUrl: 'x', health: async () => ({ ok: true, latencyMs: 0 }), transcribe: async () => ({ text: '' }) },
    llm: {
      role: 'llm', type: 's', baseUrl: 'x', health: async () => ({ ok: true, latencyMs: 0 }),
      async *stream(req): AsyncIterable<LlmChunk> {
        prompts.push(req.messages.map((m) => `${m.role}: ${m.content}`).join('\n'));
        maxTokens.push(req.maxTokens);
        await clock.sleep(150, req.signal);
        if (opts.think) req.onThink?.(opts.think);
        for (const [i, text] of opts.answer.entries()) {
          if (i === opts.cutAfter) throw new Error('stream cut');
          yield { type: 'text', text };
          await clock.sleep(20, req.signal);
        }
      },
      ...(opts.windowChars === undefined ? {} : { fitPrompt: fitByChars(opts.windowChars) }),
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
  return { run, events, prompts, maxTokens, ttsTexts, fallbacks, warnings };
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

  it('a provider without fitPrompt gets the prompt as built, with every passage', async () => {
    const t = setup({ answer: ['大人は800円です。'], passages: PASSAGES });
    const r = await t.run('入園料はいくらですか？', false);
    for (const p of PASSAGES) expect(t.prompts[0]).toContain(p.text);
    expect(r.sources.map((s) => s.chunk_id)).toEqual(['c0', 'c1', 'c2']);
    expect(r.dropped).toEqual({ passages: 0, history: 0 });
    expect(t.maxTokens).toEqual([undefined]);
  });

  it('fitted to the context window: the worst passages, then the oldest turn, are left out; system prompt and question stay; only the kept passages are sources', async () => {
    const full = setup({ answer: ['大人は800円です。'], passages: PASSAGES });
    await full.run('入園料はいくらですか？', false);
    const fullChars = full.prompts[0]!.length;
    const t = setup({ answer: ['大人は800円です。'], passages: PASSAGES, windowChars: fullChars - 40 });
    const r = await t.run('入園料はいくらですか？', false);
    expect(r.assistantText).toBe('大人は800円です。');
    expect(t.prompts[0]).toContain(PASSAGES[0]!.text);
    expect(t.prompts[0]).not.toContain(PASSAGES[2]!.text);
    expect(t.prompts[0]).toContain(defaultSessionConfig.systemPrompts.ja);
    expect(t.prompts[0]).toContain('入園料はいくらですか？');
    expect(r.sources.map((s) => s.chunk_id)).not.toContain('c2');
    expect(r.dropped.passages).toBeGreaterThanOrEqual(1);
    expect(t.maxTokens).toEqual([64]);
  });

  it('a question that cannot fit even alone: no LLM request, the apology in Japanese, the LLM fallback counted', async () => {
    const t = setup({ answer: ['大人は800円です。'], passages: PASSAGES, windowChars: 10 });
    const r = await t.run('入園料はいくらですか？', false);
    expect(t.prompts).toEqual([]);
    expect(r.fallback).toBe('llm');
    expect(t.fallbacks).toEqual(['llm']);
    expect(r.assistantText).toBe(llmApology('ja'));
    expect(r.sources).toEqual([]);
  });

  it('a think block on a live turn is counted in the turn result and logged', async () => {
    const t = setup({ answer: ['大人は800円です。'], think: { blocks: 1, chars: 420 } });
    const r = await t.run('入園料はいくらですか？', false);
    expect(r.think).toEqual({ blocks: 1, chars: 420 });
    expect(t.warnings).toContain('llm thought on a live turn');
    const quiet = setup({ answer: ['大人は800円です。'] });
    expect((await quiet.run('入園料はいくらですか？', false)).think).toBeNull();
    expect(quiet.warnings).not.toContain('llm thought on a live turn');
  });
});
