import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VoiceClient } from '@va/testkit';
import { startTestApp, TEST_TOKEN, type TestApp } from './test/start-app.ts';
import { textChat } from './test/sse.ts';

interface Health {
  status: string;
  is_mock: boolean;
  fallback_count: number;
  warnings: string[];
}

/** Failures driven through the stand-ins' fault injection: nothing crashes, the user still gets an answer. */
describe('fallbacks and provider failures', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  }, 120_000);
  afterAll(async () => app?.stop());

  const health = async (): Promise<Health> => (await (await fetch(`${app.url}/health`)).json()) as Health;

  it('reports is_mock and degraded on stand-ins with no fallback yet', async () => {
    const h = await health();
    expect(h).toMatchObject({ status: 'degraded', is_mock: true, fallback_count: 0 });
  });

  it('LLM 500: a template apology is spoken and counted', async () => {
    app.standins!.llm!.setFault({ kind: 'status', status: 500, times: 1 });
    const c = await VoiceClient.connect(app.url, 'fb-llm', TEST_TOKEN);
    c.send({ type: 'text.input', text: 'Tell me something' });
    const done = await c.waitFor('assistant.done', 30_000);
    expect(done.message.fallback).toBe('llm');
    expect(done.message.text).toMatch(/sorry/i);
    expect(c.eventsOf('error').map((e) => e.message.code)).toContain('llm_failed');
    expect(c.eventsOf('tts.start').length).toBeGreaterThan(0); // the apology is spoken
    expect(c.audio.length).toBeGreaterThan(0);
    const h = await health();
    expect(h.fallback_count).toBe(1);
    expect(h.warnings.join(' ')).toMatch(/fallback/);
    await c.close();
  });

  it('LLM stream cut mid-answer: the text so far is kept, the turn ends cleanly', async () => {
    app.standins!.llm!.setFault({ kind: 'cut', times: 1 });
    const r = await textChat(app.url, TEST_TOKEN, { session_id: 'fb-cut', text: 'hello again' });
    const done = r.events.find((e) => e.type === 'assistant.done');
    expect(done).toBeDefined();
    expect(r.events.some((e) => e.type === 'error' && e.code === 'llm_failed')).toBe(true);
  });

  it('LLM hangs: the first-byte timeout ends it and the apology is given', async () => {
    app.standins!.llm!.setFault({ kind: 'hang', times: 1 });
    const started = Date.now();
    const r = await textChat(app.url, TEST_TOKEN, { session_id: 'fb-hang', text: 'are you there' });
    const done = r.events.find((e) => e.type === 'assistant.done');
    expect(done?.type === 'assistant.done' && done.fallback).toBe('llm');
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it('TTS 500: the answer text is still delivered, without voice', async () => {
    app.standins!.tts!.setFault({ kind: 'status', status: 500, times: 10 });
    const c = await VoiceClient.connect(app.url, 'fb-tts', TEST_TOKEN);
    c.send({ type: 'text.input', text: 'Say something nice' });
    const done = await c.waitFor('assistant.done', 30_000);
    app.standins!.tts!.setFault(null);
    expect(done.message.fallback).toBe('tts');
    expect(done.message.text.length).toBeGreaterThan(5);
    expect(c.eventsOf('assistant.delta').length).toBeGreaterThan(0);
    expect(c.eventsOf('error').map((e) => e.message.code)).toContain('tts_failed');
    expect(c.audio.length).toBe(0);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/va_fallbacks_total\{kind="tts"\} 1/);
    expect(metrics).toMatch(/va_fallbacks_total\{kind="llm"\} [1-9]/);
    await c.close();
  });

  it('STT refused: /ready says not ready with the provider named, and recovers', async () => {
    app.standins!.stt!.setFault({ kind: 'refuse', forMs: 1500 });
    const res = await fetch(`${app.url}/ready`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { providers: { stt: { ok: boolean } }; warnings: string[] };
    expect(body.providers.stt.ok).toBe(false);
    expect(body.warnings.join(' ')).toMatch(/stt provider is not reachable/);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await fetch(`${app.url}/ready`)).status).toBe(200);
  });
});
