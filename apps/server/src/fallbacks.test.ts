import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VoiceClient } from '@va/testkit';
import { startTestApp, TEST_TOKEN, type TestApp } from './test/start-app.ts';
import { textChat } from './test/sse.ts';

interface Health {
  status: string;
  is_mock: boolean;
  fallback_count: number;
  warnings: Array<{ code: string; message: string }>;
}

/**
 * Failures driven through the stand-ins' fault injection (their HTTP control routes): nothing
 * crashes, the user still gets an answer. Each test sets its own fault and counts from its own
 * starting point, so the tests pass in any order (`--sequence.shuffle`).
 */
describe('fallbacks and provider failures', () => {
  let app: TestApp;
  let atStart: Health;
  beforeAll(async () => {
    app = await startTestApp();
    atStart = await health();
  }, 120_000);
  afterEach(async () => {
    await Promise.all([app.standins!.llm.setFault(null), app.standins!.tts.setFault(null), app.standins!.llm.setMode({ inStreamErrorAfter: null })]);
  });
  afterAll(async () => app?.stop());

  async function health(): Promise<Health> {
    return (await (await fetch(`${app.url}/health`)).json()) as Health;
  }
  async function fallbackMetric(kind: 'llm' | 'tts'): Promise<number> {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    return Number(new RegExp(`va_fallbacks_total\\{kind="${kind}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  }

  it('reports is_mock and degraded on stand-ins, with no fallback at start', () => {
    expect(atStart).toMatchObject({ status: 'degraded', is_mock: true, fallback_count: 0 });
    expect(atStart.warnings.map((w) => w.code)).toContain('standins_answering');
    expect(atStart.warnings.map((w) => w.code)).not.toContain('fallbacks_used');
  });

  it('LLM 500: a template apology is spoken and counted', async () => {
    const before = (await health()).fallback_count;
    await app.standins!.llm.setFault({ kind: 'status', status: 500, times: 1 });
    const c = await VoiceClient.connect(app.url, 'fb-llm', TEST_TOKEN);
    c.send({ type: 'text.input', text: 'Tell me something' });
    const done = await c.waitFor('assistant.done', 30_000);
    expect(done.message.fallback).toBe('llm');
    expect(done.message.text).toMatch(/sorry/i);
    expect(c.eventsOf('error').map((e) => e.message.code)).toContain('llm_failed');
    expect(c.eventsOf('tts.start').length).toBeGreaterThan(0); // the apology is spoken
    expect(c.audio.length).toBeGreaterThan(0);
    const h = await health();
    expect(h.fallback_count).toBe(before + 1);
    expect(h.warnings.find((w) => w.code === 'fallbacks_used')?.message).toMatch(/fallback/);
    await c.close();
  });

  it('LLM stream broken after three tokens: the text so far is kept as the answer, the turn ends cleanly', async () => {
    await app.standins!.llm.setMode({ inStreamErrorAfter: 3 });
    const r = await textChat(app.url, TEST_TOKEN, { session_id: 'fb-cut', text: 'hello again' });
    const deltas = r.events.flatMap((e) => (e.type === 'assistant.delta' ? [e.text] : []));
    const done = r.events.find((e) => e.type === 'assistant.done');
    expect(deltas.length).toBeGreaterThan(0);
    const soFar = deltas.join('');
    expect(soFar.trim().length).toBeGreaterThan(0);
    expect(done?.type === 'assistant.done' && done.text).toBe(soFar);
    expect(soFar).not.toMatch(/sorry/i); // no apology appended to a partial answer
    expect(r.events.some((e) => e.type === 'error' && e.code === 'llm_failed')).toBe(true);
  });

  it('LLM stream cut before any text: the apology is given instead', async () => {
    await app.standins!.llm.setFault({ kind: 'cut', times: 1 });
    const r = await textChat(app.url, TEST_TOKEN, { session_id: 'fb-cut-early', text: 'hello once more' });
    const done = r.events.find((e) => e.type === 'assistant.done');
    expect(done?.type === 'assistant.done' && done.fallback).toBe('llm');
    expect(done?.type === 'assistant.done' && done.text).toMatch(/sorry/i);
    expect(r.events.some((e) => e.type === 'error' && e.code === 'llm_failed')).toBe(true);
  });

  it('LLM hangs: the first-byte timeout ends it and the apology is given', async () => {
    await app.standins!.llm.setFault({ kind: 'hang', times: 1 });
    const r = await textChat(app.url, TEST_TOKEN, { session_id: 'fb-hang', text: 'are you there' });
    const done = r.events.find((e) => e.type === 'assistant.done');
    expect(done?.type === 'assistant.done' && done.fallback).toBe('llm');
  }, 30_000);

  it('TTS 500: the answer text is still delivered, without voice', async () => {
    const before = await fallbackMetric('tts');
    await app.standins!.tts.setFault({ kind: 'status', status: 500, times: 10 });
    const c = await VoiceClient.connect(app.url, 'fb-tts', TEST_TOKEN);
    c.send({ type: 'text.input', text: 'Say something nice' });
    const done = await c.waitFor('assistant.done', 30_000);
    expect(done.message.fallback).toBe('tts');
    expect(done.message.text.length).toBeGreaterThan(5);
    expect(c.eventsOf('assistant.delta').length).toBeGreaterThan(0);
    expect(c.eventsOf('error').map((e) => e.message.code)).toContain('tts_failed');
    expect(c.audio.length).toBe(0);
    expect(await fallbackMetric('tts')).toBe(before + 1);
    await c.close();
  });

  it('STT refused: /ready says not ready with the provider named, and recovers', async () => {
    await app.standins!.stt.setFault({ kind: 'refuse', forMs: 1500 });
    const res = await fetch(`${app.url}/ready`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { providers: { stt: { ok: boolean } }; warnings: Health['warnings'] };
    expect(body.providers.stt.ok).toBe(false);
    expect(body.warnings).toContainEqual({ code: 'provider_unreachable', message: 'stt provider is not reachable' });
    await new Promise((r) => setTimeout(r, 2000));
    expect((await fetch(`${app.url}/ready`)).status).toBe(200);
  });
});
