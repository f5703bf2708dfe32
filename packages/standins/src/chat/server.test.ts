import { describe, expect, it } from 'vitest';
import { startForSuite } from '@va/testkit/suite';
import { startChatStandin } from './server.ts';
import type { ChatStandin } from './server.ts';

const MESSAGES = [
  { role: 'system', content: 'Use the passages.\n<<<The museum opens at nine. Tickets cost five euros.>>>\n<<<The cafe is on the second floor.>>>' },
  { role: 'user', content: 'How much do tickets cost?' },
];

async function sse(res: Response): Promise<unknown[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6))
    .map((d) => (d === '[DONE]' ? '[DONE]' : (JSON.parse(d) as unknown)));
}

describe('NIM/vLLM chat stand-in', () => {
  let chat: ChatStandin;
  startForSuite(() => startChatStandin({ port: 0 }), (s) => (chat = s));
  const post = (body: unknown): Promise<Response> =>
    fetch(`${chat.url}/v1/chat/completions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('live at once, ready only after the delay, lists one model', async () => {
    const loading = await startChatStandin({ port: 0, readyDelayMs: 3000 });
    try {
      expect((await fetch(`${loading.url}/v1/health/live`)).status).toBe(200);
      expect((await fetch(`${loading.url}/v1/health/ready`)).status).toBe(503);
      while ((await fetch(`${loading.url}/v1/health/ready`)).status === 503) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await loading.close();
    }
    expect((await fetch(`${chat.url}/v1/health/ready`)).status).toBe(200);
    const models = (await (await fetch(`${chat.url}/v1/models`)).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((m) => m.id)).toEqual(['qwen/qwen3-32b']);
  });

  it('streams role chunk, word deltas, finish, usage with choices [], [DONE]', async () => {
    const events = (await sse(
      await post({ model: 'm', stream: true, stream_options: { include_usage: true }, chat_template_kwargs: { enable_thinking: false }, messages: MESSAGES }),
    )) as Array<Record<string, unknown> | string>;
    type Chunk = { choices: Array<{ delta: Record<string, unknown>; finish_reason: string | null }>; usage?: { completion_tokens: number } };
    const chunks = events.slice(0, -1) as Chunk[];
    expect(events.at(-1)).toBe('[DONE]');
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    const usage = chunks.at(-1)!;
    expect(usage.choices).toEqual([]);
    const finish = chunks.at(-2)!.choices[0]!;
    expect([finish.delta, finish.finish_reason]).toEqual([{}, 'stop']);
    const deltas = chunks.slice(1, -2).map((c) => c.choices[0]!.delta);
    expect(deltas.every((d) => typeof d['content'] === 'string' && !('reasoning' in d))).toBe(true);
    expect(deltas.map((d) => d['content']).join('')).toBe('Tickets cost five euros.');
    expect(usage.usage!.completion_tokens).toBe(deltas.length);
  });

  it('emits a think block unless enable_thinking is false, in the switchable field', async () => {
    for (const thinking of ['reasoning', 'reasoning_content'] as const) {
      await fetch(`${chat.url}/__standin/mode`, { method: 'POST', body: JSON.stringify({ thinking }) });
      const events = (await sse(await post({ stream: true, messages: MESSAGES }))) as Array<{ choices: Array<{ delta: Record<string, string> }> }>;
      const first = events[1]!.choices[0]!.delta;
      expect(Object.keys(first)).toEqual([thinking]);
    }
    chat.setFault(null);
    await fetch(`${chat.url}/__standin/mode`, { method: 'POST', body: JSON.stringify({ thinking: 'content' }) });
    const body = (await (await post({ messages: MESSAGES })).json()) as { choices: Array<{ message: { content: string } }>; usage: object };
    expect(body.choices[0]!.message.content).toMatch(/^<think>\n[\s\S]+\n<\/think>\n\nTickets cost five euros\.$/);
    expect(body.usage).toHaveProperty('total_tokens');
    await fetch(`${chat.url}/__standin/mode`, { method: 'POST', body: JSON.stringify({ thinking: 'reasoning' }) });
  });

  it('honours first-token and per-token latency', async () => {
    const timed = await startChatStandin({ port: 0, firstTokenMs: 200, perTokenMs: 50 });
    try {
      const t0 = performance.now();
      const res = await fetch(`${timed.url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ stream: true, chat_template_kwargs: { enable_thinking: false }, messages: MESSAGES }),
      });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      const arrivals: number[] = [];
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        const n = (buf.match(/"content":"[^"]/g) ?? []).length;
        while (arrivals.length < n) arrivals.push(performance.now() - t0);
      }
      expect(arrivals[0]!).toBeGreaterThanOrEqual(190);
      expect(arrivals.length).toBe(4);
      expect(arrivals.at(-1)!).toBeGreaterThanOrEqual(200 + 3 * 50 - 10); // the 4th word is due 150 ms after the first
    } finally {
      await timed.close();
    }
  });

  it('error shapes, in-stream errors and faults', async () => {
    let r = await post({ messages: 'nope' });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { code: number } }).error.code).toBe(400);
    await fetch(`${chat.url}/__standin/mode`, { method: 'POST', body: JSON.stringify({ errorShape: 'object', inStreamErrorAfter: 1 }) });
    r = await post({ messages: 'nope' });
    expect(((await r.json()) as { object: string }).object).toBe('error');
    const events = (await sse(await post({ stream: true, chat_template_kwargs: { enable_thinking: false }, messages: MESSAGES }))) as Array<Record<string, unknown>>;
    expect(events.at(-1)).toHaveProperty('error');
    expect(events).not.toContain('[DONE]');
    await fetch(`${chat.url}/__standin/mode`, { method: 'POST', body: JSON.stringify({ errorShape: 'envelope', inStreamErrorAfter: null }) });
    await fetch(`${chat.url}/__standin/fault`, { method: 'POST', body: JSON.stringify({ kind: 'status', status: 503, times: 1 }) });
    expect((await post({ messages: MESSAGES })).status).toBe(503);
    expect((await post({ messages: MESSAGES })).status).toBe(200);
    chat.setFault({ kind: 'cut', times: 1 });
    await expect((await post({ stream: true, messages: MESSAGES })).text()).rejects.toThrow();
  });

  it('refuses connections while the refuse fault is on', async () => {
    chat.setFault({ kind: 'refuse' });
    await expect(fetch(`${chat.url}/v1/health/live`)).rejects.toThrow();
    chat.setFault(null);
    await new Promise((r) => setTimeout(r, 50));
    expect((await fetch(`${chat.url}/v1/health/live`)).status).toBe(200);
  });
});
