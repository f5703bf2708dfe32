import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatStandin } from '@va/standins';
import type { LlmChunk, Logger } from '@va/pipeline';
import { createLlm } from '../registry.ts';
import { chatFrames, startChatScript } from '../testing/chat-script.ts';
import type { ChatScriptServer } from '../testing/chat-script.ts';
import { drain, expectProviderError } from '../testing/contracts/common.ts';
import { llmContract } from '../testing/contracts/llm-contract.ts';

llmContract('scripted vLLM/NIM', { start: () => startChatScript({ flavour: 'vllm' }) });
llmContract('scripted llama.cpp', { start: () => startChatScript({ flavour: 'llama.cpp' }) });
llmContract('@va/standins chat', { start: () => startChatStandin({ port: 0, firstTokenMs: 5, perTokenMs: 2 }) });

const textOf = (chunks: LlmChunk[]): string => chunks.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('');

describe('openai-chat wire details (scripted)', () => {
  let s: ChatScriptServer;
  beforeAll(async () => {
    s = await startChatScript({ flavour: 'vllm' });
  });
  afterAll(() => s.close());
  const llm = (options: Record<string, unknown> = {}, model = 'auto') => createLlm({ type: 'openai-chat', base_url: s.url, model, options });
  const req = () => ({ messages: [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'Hi' }], signal: new AbortController().signal });

  it('sends the Qwen3 non-thinking request, discovering the model once', async () => {
    s.requests.length = 0;
    const p = llm({ max_tokens: 64 });
    await drain(p.stream(req()));
    await drain(p.stream(req()));
    expect(s.requests.filter((r) => r.path === '/v1/models')).toHaveLength(1);
    const body = JSON.parse(s.work()[0]!.body.toString()) as Record<string, unknown>;
    expect(body).toMatchObject({
      model: 'qwen/qwen3-32b',
      stream: true,
      stream_options: { include_usage: true },
      chat_template_kwargs: { enable_thinking: false },
      temperature: 0.7,
      top_p: 0.8,
      max_tokens: 64,
    });
    expect(s.work()[0]!.headers['content-type']).toBe('application/json');
  });

  it('configured model, bearer key, no_think_suffix, disable_thinking=false', async () => {
    s.requests.length = 0;
    const p = createLlm({ type: 'openai-chat', base_url: s.url, model: 'my-model', api_key: 'k1', options: { disable_thinking: 'false', no_think_suffix: true } });
    expect(textOf(await drain(p.stream(req())))).toBe('Hello there. How can I help?');
    const r = s.work()[0]!;
    expect(r.headers.authorization).toBe('Bearer k1');
    const body = JSON.parse(r.body.toString()) as { model: string; chat_template_kwargs?: unknown; messages: Array<{ content: string }> };
    expect(body.model).toBe('my-model');
    expect(body.chat_template_kwargs).toBeUndefined();
    expect(body.messages[1]!.content).toBe('Hi /no_think');
    expect(body.messages[0]!.content).toBe('Be brief.');
    expect(s.requests.some((x) => x.path === '/v1/models')).toBe(false);
  });

  it.each(['reasoning', 'reasoning_content', 'content'] as const)('never yields thinking sent as %s', async (as) => {
    s.script = () => chatFrames({ flavour: 'vllm', pieces: ['The answer', ' is 4.'], think: { as, pieces: ['<', 'secret', ' plan'] } });
    try {
      const chunks = await drain(llm().stream(req()));
      expect(textOf(chunks)).toBe('The answer is 4.');
    } finally {
      s.script = null;
    }
  });

  it('parses frames split mid-line, CRLF endings, ping comments, multi-line data', async () => {
    const frames = chatFrames({ flavour: 'llama.cpp', pieces: ['Split', ' me'], think: { as: 'content', pieces: ['hmm'] } });
    // a JSON object spread over two data lines is one event (joined with "\n", still valid JSON)
    const multiLine = 'data: {"choices":[{"index":0,\ndata: "delta":{"content":""}}]}\n\n';
    const joined = ': ping\n\n' + frames[0] + multiLine + frames.slice(1).join('').replaceAll('\n', '\r\n');
    const pieces: string[] = [];
    for (let i = 0; i < joined.length; i += 7) pieces.push(joined.slice(i, i + 7));
    s.script = () => pieces;
    try {
      const chunks = await drain(llm().stream(req()));
      expect(textOf(chunks)).toBe('Split me');
      expect(chunks.filter((c) => c.type === 'usage')).toHaveLength(1);
    } finally {
      s.script = null;
    }
  });

  it('an in-stream error event -> ProviderError, after the text already yielded', async () => {
    s.script = () => [...chatFrames({ flavour: 'llama.cpp', pieces: ['Partial'], done: false }).slice(0, 2), 'data: {"error":{"code":500,"message":"decode failed","type":"server_error"}}\n\n'];
    const got: string[] = [];
    try {
      const p = (async () => {
        for await (const c of llm().stream(req())) if (c.type === 'text') got.push(c.text);
      })();
      const e = await expectProviderError(p, 'server_error', { retryable: false, status: 500 });
      expect(e.message).toContain('decode failed');
      expect(got).toEqual(['Partial']);
    } finally {
      s.script = null;
    }
  });

  it('a stream that ends without [DONE] or finish -> stream_cut', async () => {
    s.script = () => chatFrames({ flavour: 'vllm', pieces: ['a', 'b'] }).slice(0, 3);
    try {
      await expectProviderError(drain(llm().stream(req())), 'stream_cut');
    } finally {
      s.script = null;
    }
  });

  it('malformed SSE JSON -> bad_response', async () => {
    s.script = () => ['data: {"choices":[{"delta":\n\n'];
    try {
      await expectProviderError(drain(llm().stream(req())), 'bad_response', { retryable: false });
    } finally {
      s.script = null;
    }
  });

  it.each(['openai', 'vllm-object'] as const)('reads the %s error envelope on non-200', async (shape) => {
    s.errorShape = shape;
    s.setFault({ kind: 'status', status: 400, times: 1 });
    const e = await expectProviderError(drain(llm().stream(req())), 'bad_request', { status: 400 });
    expect(e.message).toContain('scripted 400');
    s.errorShape = 'openai';
  });

  it('health: NIM ready probe 503 -> not ok; falls back to /health on 404', async () => {
    s.readyStatus = 503;
    expect(await llm().health()).toMatchObject({ ok: false, detail: 'http_503' });
    s.readyStatus = 200;
    const plain = await startChatScript({ flavour: 'llama.cpp', nim: false });
    try {
      const h = await createLlm({ type: 'openai-chat', base_url: plain.url, options: {} }).health();
      expect(h.ok).toBe(true);
      expect(plain.requests.map((r) => r.path)).toEqual(['/v1/health/ready', '/health']);
    } finally {
      await plain.close();
    }
  });

  it('logs a caller abort at debug only, a real failure at warn', async () => {
    const lines: Array<{ level: string; obj: object }> = [];
    const logger: Logger = {
      debug: (obj) => void lines.push({ level: 'debug', obj }),
      info: (obj) => void lines.push({ level: 'info', obj }),
      warn: (obj) => void lines.push({ level: 'warn', obj }),
      error: (obj) => void lines.push({ level: 'error', obj }),
      child: () => logger,
    };
    const p = createLlm({ type: 'openai-chat', base_url: s.url, options: {} }, { logger });
    const ctl = new AbortController();
    s.frameDelayMs = 30;
    try {
      const run = (async () => {
        for await (const c of p.stream({ ...req(), signal: ctl.signal })) if (c.type === 'text') ctl.abort();
      })();
      await expectProviderError(run, 'aborted');
    } finally {
      s.frameDelayMs = 2;
    }
    expect(lines.map((l) => l.level)).toEqual(['debug']);
    s.setFault({ kind: 'status', status: 503, times: 1 });
    await expectProviderError(drain(p.stream(req())), 'unavailable');
    expect(lines.at(-1)).toMatchObject({ level: 'warn', obj: { code: 'unavailable', provider: 'llm:openai-chat', status: 503 } });
  });

  it('rejects unknown option keys, naming them', () => {
    expect(() => llm({ temprature: 0.5 })).toThrow(/temprature/);
  });
});
