import { describe, expect, it } from 'vitest';
import { startForSuite } from '@va/testkit/suite';
import { startChatStandin } from './server.ts';
import type { ChatStandin } from './server.ts';
import { promptTokens, truncateFront } from './llama.ts';

/** llama-server behaviours as observed on a real one (provider-apis.md, "Observed on real servers, 2026-12"). */

const PASSAGE = '<<<The museum opens at nine. Tickets cost five euros.>>>';
const filler = (n: number): string => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
const messages = (fillerWords: number) => [
  { role: 'system' as const, content: `Use the passages.\n${PASSAGE}` },
  { role: 'user' as const, content: `${filler(fillerWords)} How much do tickets cost?` },
];

/** Raw SSE events as [field, value] pairs. */
async function sseEvents(res: Response): Promise<Array<[string, string]>> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((e) => e.trim() !== '')
    .map((e) => {
      const i = e.indexOf(': ');
      return [e.slice(0, i), e.slice(i + 2)];
    });
}

describe('llama.cpp chat stand-in (observed behaviours)', () => {
  let llama: ChatStandin;
  startForSuite(() => startChatStandin({ port: 0, flavour: 'llama.cpp', nCtx: 256, thinking: 'content' }), (s) => (llama = s));
  const post = (body: unknown, raw?: string): Promise<Response> =>
    fetch(`${llama.url}/v1/chat/completions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: raw ?? JSON.stringify(body) });
  const mode = (m: Record<string, unknown>): Promise<Response> => fetch(`${llama.url}/__standin/mode`, { method: 'POST', body: JSON.stringify(m) });

  it('answers client errors with 500 (invalid JSON, missing messages) and gives n_ctx at GET /props', async () => {
    let r = await post(undefined, '{"messages": [');
    expect(r.status).toBe(500);
    expect(((await r.json()) as { error: { code: number; message: string } }).error).toMatchObject({ code: 500, message: expect.stringMatching(/^\[json\.exception\.parse_error/) });
    r = await post({ model: 'x' });
    expect(r.status).toBe(500);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/key 'messages' not found/);
    const props = (await (await fetch(`${llama.url}/props`)).json()) as { default_generation_settings: { n_ctx: number } };
    expect(props.default_generation_settings.n_ctx).toBe(256);
    expect(await (await fetch(`${llama.url}/health`)).json()).toEqual({ status: 'ok' });
  });

  it('cuts an over-long prompt from the front, silently: 200, smaller prompt_tokens, the system passage lost', async () => {
    const short = (await (await post({ messages: messages(10) })).json()) as { choices: Array<{ message: { content: string } }> };
    expect(short.choices[0]!.message.content).toContain('Tickets cost five euros');
    const sent = promptTokens(messages(400));
    const r = await post({ messages: messages(400), stream: true, stream_options: { include_usage: true } });
    expect(r.status).toBe(200);
    const events = await sseEvents(r);
    const usage = events.map(([, v]) => (v === '[DONE]' ? {} : (JSON.parse(v) as { usage?: { prompt_tokens: number } }))).find((e) => e.usage)?.usage;
    expect(usage!.prompt_tokens).toBeLessThan(256);
    expect(usage!.prompt_tokens).toBeLessThan(sent);
    const answer = events.map(([, v]) => v).join('');
    expect(answer).not.toContain('five euros');
    expect(llama.stats()['truncatedPrompts']).toBeGreaterThanOrEqual(1);
  });

  it('truncateFront erases whole blocks of n_ctx / 2 from the front', () => {
    const m = messages(400);
    const t = truncateFront(m, 256);
    expect(t.promptTokens).toBeLessThan(256);
    expect(t.promptTokens).toBeGreaterThanOrEqual(128);
    expect(t.messages.map((x) => x.role)).toEqual(['user']);
    expect(t.messages[0]!.content.endsWith('How much do tickets cost?')).toBe(true);
    expect(truncateFront(messages(10), 256).messages).toEqual(messages(10));
  });

  it('without context shift: an over-long prompt is an in-stream error in either framing', async () => {
    await mode({ contextShift: false, streamErrorFraming: 'sse-error-field' });
    try {
      let events = await sseEvents(await post({ messages: messages(400), stream: true }));
      expect(events.map(([f]) => f)).toEqual(['error', 'data']);
      expect(JSON.parse(events[0]![1])).toMatchObject({ code: 400, message: expect.stringMatching(/exceeds the available context size/), type: 'invalid_request_error' });
      expect(events[1]![1]).toBe('[DONE]');
      await mode({ streamErrorFraming: 'data-error' });
      events = await sseEvents(await post({ messages: messages(400), stream: true }));
      expect(events.map(([f]) => f)).toEqual(['data']);
      expect(JSON.parse(events[0]![1])).toMatchObject({ error: { code: 400 } });
      expect((await post({ messages: messages(400) })).status).toBe(400);
    } finally {
      await mode({ contextShift: true, streamErrorFraming: 'data-error' });
    }
  });

  it('without context shift: generation running into the end of the context fails after some chunks, then [DONE] without finish_reason', async () => {
    await mode({ contextShift: false, streamErrorFraming: 'sse-error-field' });
    try {
      // the prompt fits, the think block and the answer do not
      const m = messages(0);
      const room = 256 - promptTokens(m);
      const events = await sseEvents(await post({ messages: [m[0]!, { role: 'user', content: `${filler(room - 12)} How much do tickets cost?` }], stream: true }));
      const fields = events.map(([f]) => f);
      expect(fields.filter((f) => f === 'data').length).toBeGreaterThan(2);
      expect(fields.at(-2)).toBe('error');
      expect(JSON.parse(events.at(-2)![1])).toMatchObject({ code: 500, message: 'context shift is disabled' });
      expect(events.at(-1)![1]).toBe('[DONE]');
      expect(events.some(([, v]) => v.includes('"finish_reason":"stop"'))).toBe(false);
    } finally {
      await mode({ contextShift: true, streamErrorFraming: 'data-error' });
    }
  });

  it('ignores chat_template_kwargs (thinking stays on); the /no_think soft switch works', async () => {
    const think = (await (await post({ messages: messages(0), chat_template_kwargs: { enable_thinking: false } })).json()) as { choices: Array<{ message: { content: string } }> };
    expect(think.choices[0]!.message.content).toMatch(/^<think>/);
    const m = messages(0);
    const soft = (await (await post({ messages: [m[0]!, { role: 'user', content: `${m[1]!.content} /no_think` }] })).json()) as { choices: Array<{ message: { content: string } }> };
    expect(soft.choices[0]!.message.content).not.toMatch(/<think>/);
  });
});
