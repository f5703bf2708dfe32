/**
 * What real llama-server builds were observed to send (shared/docs/provider-apis.md, "Observed on
 * real servers, 2026-12"), replayed byte for byte by a raw loopback server that writes like
 * cpp-httplib: status line and headers in one write, each chunk of the body in its own write.
 */
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage, LlmChunk } from '@va/pipeline';
import { createEmbedder, createLlm } from '../registry.ts';
import { drain, expectProviderError } from '../testing/contracts/common.ts';

interface RawRequest {
  method: string;
  path: string;
  body: string;
  /** Which connection it came on (numbered in accept order). */
  conn: number;
  head: string;
}
type Reply = { status: number; json: unknown } | { sse: string[] };

interface RawServer {
  url: string;
  requests: RawRequest[];
  close(): Promise<void>;
}

const servers: RawServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function headers(status: number, contentType: string, extra: string): string {
  const reason = status === 200 ? 'OK' : status === 500 ? 'Internal Server Error' : 'Error';
  return `HTTP/1.1 ${status} ${reason}\r\nAccess-Control-Allow-Origin: \r\nContent-Type: ${contentType}\r\nKeep-Alive: timeout=5, max=5\r\n${extra}\r\n`;
}

function write(socket: net.Socket, reply: Reply): void {
  if ('sse' in reply) {
    socket.write(headers(200, 'text/event-stream', 'Transfer-Encoding: chunked\r\n'));
    for (const frame of reply.sse) socket.write(`${Buffer.byteLength(frame).toString(16)}\r\n${frame}\r\n`);
    socket.write('0\r\n\r\n');
    return;
  }
  const body = JSON.stringify(reply.json);
  socket.write(headers(reply.status, 'application/json; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}\r\n`));
  socket.write(body);
}

/** Parses requests off a keep-alive socket (Content-Length bodies only: what our client sends). */
async function startRaw(route: (req: RawRequest) => Reply): Promise<RawServer> {
  const requests: RawRequest[] = [];
  const sockets = new Set<net.Socket>();
  let conns = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const conn = ++conns;
    socket.on('close', () => sockets.delete(socket));
    let buf = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString();
        const len = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + len) return;
        const [method = '', path = ''] = head.split(' ');
        const req = { method, path, body: buf.subarray(end + 4, end + 4 + len).toString(), conn, head };
        buf = buf.subarray(end + 4 + len);
        requests.push(req);
        write(socket, route(req));
        if (/connection: close/i.test(head)) socket.end();
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const s: RawServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
  servers.push(s);
  return s;
}

const chunk = (delta: object, finish: string | null = null): string =>
  `data: {"choices":[{"finish_reason":${finish === null ? 'null' : `"${finish}"`},"index":0,"delta":${JSON.stringify(delta)}}],"created":1765000000,"id":"chatcmpl-x","model":"qwen3-tiny","system_fingerprint":"b4800-c392e509","object":"chat.completion.chunk"}\n\n`;
const DONE = 'data: [DONE]\n\n';
const textOf = (chunks: LlmChunk[]): string => chunks.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('');
const req = (content = 'Hi', signal = new AbortController().signal) => ({ messages: [{ role: 'user' as const, content }], signal });
const chatRoute = (sse: string[]) => (r: RawRequest): Reply => (r.path === '/v1/models' ? { status: 200, json: { object: 'list', data: [{ id: 'qwen3-tiny', object: 'model' }] } } : { sse });

describe('llama-server in-stream errors are failed streams', () => {
  it('older builds: `error:` field line at the start, then data: [DONE] -> bad_request, nothing yielded', async () => {
    const s = await startRaw(
      chatRoute([
        'error: {"code":400,"message":"the request exceeds the available context size, try increasing the context size or enable context shift","type":"invalid_request_error"}\n\n',
        DONE,
      ]),
    );
    const got: LlmChunk[] = [];
    const run = (async () => {
      for await (const c of createLlm({ type: 'openai-chat', base_url: s.url }).stream(req())) got.push(c);
    })();
    const e = await expectProviderError(run, 'bad_request', { retryable: false, status: 400 });
    expect(e.message).toMatch(/exceeds the available context size/);
    expect(got).toEqual([]);
  });

  it('older builds: `error:` after 232 content chunks -> the text so far, then server_error (not a complete answer)', async () => {
    const frames = [chunk({ role: 'assistant', content: null })];
    for (let i = 0; i < 232; i++) frames.push(chunk({ content: `w${i} ` }));
    frames.push('error: {"code":500,"message":"context shift is disabled","type":"server_error"}\n\n', DONE);
    const s = await startRaw(chatRoute(frames));
    const got: LlmChunk[] = [];
    const run = (async () => {
      for await (const c of createLlm({ type: 'openai-chat', base_url: s.url }).stream(req())) got.push(c);
    })();
    await expectProviderError(run, 'server_error', { retryable: false, status: 500 });
    expect(textOf(got).split(' ').filter(Boolean)).toHaveLength(232);
    expect(got.some((c) => c.type === 'finish')).toBe(false);
  });

  it('newer builds: data: {"error":{...}} -> server_error', async () => {
    const s = await startRaw(chatRoute([chunk({ content: 'Hello' }), 'data: {"error":{"code":500,"message":"context shift is disabled","type":"server_error"}}\n\n']));
    await expectProviderError(drain(createLlm({ type: 'openai-chat', base_url: s.url }).stream(req())), 'server_error', { retryable: false });
  });

  it('[DONE] that follows no finish_reason is a cut answer', async () => {
    const s = await startRaw(chatRoute([chunk({ content: 'Hello' }), chunk({ content: ' there' }), DONE]));
    const e = await expectProviderError(drain(createLlm({ type: 'openai-chat', base_url: s.url }).stream(req())), 'stream_cut', { retryable: false });
    expect(e.message).toMatch(/finish_reason/);
  });
});

describe('llama-server client errors come as 500 and are not retried', () => {
  it('embeddings input over the batch: one request, bad_request', async () => {
    const s = await startRaw(() => ({
      status: 500,
      json: { error: { code: 500, message: 'input is too large to process. increase the physical batch size', type: 'server_error' } },
    }));
    const embedder = createEmbedder({ type: 'openai-embeddings', base_url: s.url, options: { retries: 3 } });
    await expectProviderError(embedder.embed(['x'.repeat(4000)]), 'bad_request', { retryable: false, status: 500 });
    expect(s.requests).toHaveLength(1);
  });

  it('invalid JSON / missing messages ([json.exception...) -> bad_request; a plain 500 stays retryable', async () => {
    let message = '[json.exception.out_of_range.403] key \'messages\' not found';
    const s = await startRaw(() => ({ status: 500, json: { error: { code: 500, message, type: 'server_error' } } }));
    const llm = createLlm({ type: 'openai-chat', base_url: s.url, model: 'm' });
    await expectProviderError(drain(llm.stream(req())), 'bad_request', { retryable: false, status: 500 });
    message = 'slot unavailable';
    await expectProviderError(drain(llm.stream(req())), 'server_error', { retryable: true, status: 500 });
  });
});

describe('the prompt fits the model context', () => {
  const props = { default_generation_settings: { n_ctx: 512, n_predict: -1 }, total_slots: 1, chat_template: '' };
  const sys = 'You are a helpful voice assistant. Answer in one or two short sentences.';
  const passages = Array.from({ length: 6 }, (_, i) => `passage ${i}: ` + 'garden tomatoes need sun and water. '.repeat(12));
  const history = Array.from({ length: 4 }, (_, i) => ({ user: `earlier question ${i} `.repeat(10), assistant: `earlier answer ${i} `.repeat(10) }));
  const build = (p: string[], h: typeof history, question: string): ChatMessage[] => [
    { role: 'system', content: sys },
    ...h.flatMap((t) => [
      { role: 'user' as const, content: t.user },
      { role: 'assistant' as const, content: t.assistant },
    ]),
    { role: 'user', content: `Context:\n${p.join('\n')}\n\nQuestion: ${question}` },
  ];

  it('learns n_ctx from llama-server GET /props; trims passages (worst first), then old history; keeps system and question', async () => {
    const s = await startRaw((r) => (r.path === '/props' ? { status: 200, json: props } : { sse: [chunk({ content: 'ok' }, 'stop'), DONE] }));
    const llm = createLlm({ type: 'openai-chat', base_url: s.url, model: 'm', options: { max_tokens: 128 } });
    expect(await llm.contextWindow()).toEqual({ nCtx: 512, source: 'llama-server /props', llamaServer: true });
    const fit = await llm.fitPrompt({ passages, history, build: (p, h) => build(p, h, 'How much sun do tomatoes need?') });
    expect(fit.nCtx).toBe(512);
    expect(fit.droppedPassages).toBeGreaterThan(0);
    expect(fit.passages).toEqual(passages.slice(0, fit.passages.length));
    expect(fit.droppedHistory === 0 || fit.passages.length === 0).toBe(true);
    expect(fit.promptTokens + fit.maxTokens).toBeLessThanOrEqual(512);
    expect(fit.messages[0]).toEqual({ role: 'system', content: sys });
    expect(fit.messages.at(-1)!.content).toMatch(/Question: How much sun do tomatoes need\?$/);
    expect(s.requests.filter((r) => r.path === '/props')).toHaveLength(1);
  });

  it('Japanese counts about a token per character: trims more for the same number of characters', async () => {
    const s = await startRaw((r) => (r.path === '/props' ? { status: 200, json: props } : { sse: [DONE] }));
    const llm = createLlm({ type: 'openai-chat', base_url: s.url, model: 'm', options: { max_tokens: 128 } });
    const ja = Array.from({ length: 6 }, (_, i) => `資料${i}：トマトは一日に六時間以上の日光と、たっぷりの水を必要とします。`.repeat(3));
    const en = ja.map((p) => 'x'.repeat([...p].length));
    const fitJa = await llm.fitPrompt({ passages: ja, history: [], build: (p, h) => build(p, h, 'トマトにはどのくらい日光が必要ですか？') });
    const fitEn = await llm.fitPrompt({ passages: en, history: [], build: (p, h) => build(p, h, 'How much sun?') });
    expect(fitJa.passages.length).toBeLessThan(fitEn.passages.length);
    expect(fitJa.messages.at(-1)!.content).toContain('トマトにはどのくらい日光が必要ですか？');
  });

  it('learns max_model_len from vLLM/NIM GET /v1/models when /props is absent; config wins over both', async () => {
    const s = await startRaw((r) =>
      r.path === '/v1/models' ? { status: 200, json: { object: 'list', data: [{ id: 'Qwen/Qwen3-32B', max_model_len: 32768 }] } } : { status: 404, json: { detail: 'Not Found' } },
    );
    expect(await createLlm({ type: 'openai-chat', base_url: s.url }).contextWindow()).toEqual({ nCtx: 32768, source: '/v1/models max_model_len', llamaServer: false });
    expect(await createLlm({ type: 'openai-chat', base_url: s.url, options: { context_tokens: '4096' } }).contextWindow()).toMatchObject({ nCtx: 4096, source: 'config' });
  });

  it('a question that cannot fit fails before the server could cut the front; a stream caps max_tokens itself', async () => {
    const s = await startRaw((r) => (r.path === '/props' ? { status: 200, json: props } : { sse: [chunk({ content: 'ok' }, 'stop'), DONE] }));
    const llm = createLlm({ type: 'openai-chat', base_url: s.url, model: 'm', options: { max_tokens: 256 } });
    await expectProviderError(llm.fitPrompt({ passages: [], history: [], build: (p, h) => build(p, h, 'why? '.repeat(600)) }), 'bad_request', { retryable: false });
    await llm.contextWindow();
    const long = [{ role: 'system' as const, content: sys }, ...build([], history, 'What now?').slice(1)];
    await drain(llm.stream({ messages: long, signal: new AbortController().signal }));
    const sent = JSON.parse(s.requests.at(-1)!.body) as { max_tokens: number; messages: ChatMessage[] };
    expect(sent.max_tokens).toBeLessThanOrEqual(256);
    expect(sent.messages[0]!.content).toBe(sys);
    expect(sent.messages.at(-1)!.content).toMatch(/Question: What now\?/);
    expect(sent.messages.length).toBeLessThan(long.length);
  });
});

describe('without any wiring', () => {
  it('the first stream learns llama-server /props in the background: later streams fit the window, on fresh connections', async () => {
    const s = await startRaw((r) =>
      r.path === '/props' ? { status: 200, json: { default_generation_settings: { n_ctx: 512 } } } : { sse: [chunk({ content: 'ok' }, 'stop'), DONE] },
    );
    const llm = createLlm({ type: 'openai-chat', base_url: s.url, model: 'm', options: { max_tokens: 256 } });
    const history = Array.from({ length: 8 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', content: `turn ${i} `.repeat(40) }));
    const messages = [{ role: 'system' as const, content: 'Be brief.' }, ...history, { role: 'user' as const, content: '今日は何曜日？' }];
    const sent = () => JSON.parse(s.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)!.body) as { messages: ChatMessage[] };
    await drain(llm.stream({ messages, signal: new AbortController().signal }));
    expect(sent().messages).toHaveLength(messages.length);
    await vi.waitFor(async () => {
      await drain(llm.stream({ messages, signal: new AbortController().signal }));
      expect(sent().messages.length).toBeLessThan(messages.length);
    });
    expect(sent().messages[0]!.content).toBe('Be brief.');
    expect(sent().messages.at(-1)!.content).toBe('今日は何曜日？');
    const chats = s.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(chats.at(-1)!.conn).not.toBe(chats.at(-2)!.conn);
    expect(s.requests.filter((r) => r.path === '/props')).toHaveLength(1);
  });
});

describe('thinking is verified', () => {
  it('a think block on a live turn is counted and reported; an empty one (thinking off) is not', async () => {
    const thinking = [chunk({ content: '<think>\nThe user greets me. ' }), chunk({ content: 'I should greet back.\n</think>\n\n' }), chunk({ content: 'Hello!' }, 'stop'), DONE];
    const s = await startRaw(chatRoute(thinking));
    const seen: Array<{ blocks: number; chars: number }> = [];
    const llm = createLlm({ type: 'openai-chat', base_url: s.url }, { onThink: (c) => seen.push(c) });
    expect(textOf(await drain(llm.stream(req())))).toBe('Hello!');
    expect(seen).toEqual([{ blocks: 1, chars: 'Theusergreetsme.Ishouldgreetback.'.length }]);
    const quiet = await startRaw(chatRoute([chunk({ content: '<think>\n\n</think>\n\n' }), chunk({ content: 'こんにちは！' }, 'stop'), DONE]));
    const llm2 = createLlm({ type: 'openai-chat', base_url: quiet.url }, { onThink: (c) => seen.push(c) });
    expect(textOf(await drain(llm2.stream(req('こんにちは'))))).toBe('こんにちは！');
    expect(seen).toHaveLength(1);
    expect([llm.thinkStats(), llm2.thinkStats()]).toEqual([
      { streams: 1, streamsWithThinking: 1, thoughtChars: 33 },
      { streams: 1, streamsWithThinking: 0, thoughtChars: 0 },
    ]);
  });

  it('/no_think is appended to the last user message for Qwen models by default, not for others', async () => {
    const s = await startRaw(chatRoute([chunk({ content: 'はい。' }, 'stop'), DONE]));
    const lastUser = (): string => (JSON.parse(s.requests.at(-1)!.body) as { messages: ChatMessage[] }).messages.at(-1)!.content;
    await drain(createLlm({ type: 'openai-chat', base_url: s.url }).stream(req('東京の天気は？')));
    expect(lastUser()).toBe('東京の天気は？ /no_think');
    await drain(createLlm({ type: 'openai-chat', base_url: s.url, model: 'llama-3.1-8b' }).stream(req('Hi')));
    expect(lastUser()).toBe('Hi');
    await drain(createLlm({ type: 'openai-chat', base_url: s.url, options: { no_think_suffix: false } }).stream(req('Hi')));
    expect(lastUser()).toBe('Hi');
  });
});

describe('servers without TCP_NODELAY get a connection per request', () => {
  const embeddingReply = (): Reply => ({ status: 200, json: { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.6, 0.8] }] } });

  it('embeddings (llama.cpp) default to nagle: a new connection each time, Connection: close; nagle: false pools', async () => {
    const s = await startRaw(embeddingReply);
    const fresh = createEmbedder({ type: 'openai-embeddings', base_url: s.url });
    for (let i = 0; i < 3; i++) await fresh.embed(['hi']);
    expect(new Set(s.requests.map((r) => r.conn)).size).toBe(3);
    expect(s.requests.every((r) => /connection: close/i.test(r.head))).toBe(true);
    const t = await startRaw(embeddingReply);
    const pooled = createEmbedder({ type: 'openai-embeddings', base_url: t.url, nagle: 'false' });
    for (let i = 0; i < 3; i++) await pooled.embed(['hi']);
    expect(new Set(t.requests.map((r) => r.conn)).size).toBe(1);
  });

  it('an LLM found to be llama-server (GET /props answers) switches to a connection per request', async () => {
    const s = await startRaw((r) =>
      r.path === '/props' ? { status: 200, json: { default_generation_settings: { n_ctx: 4096 } } } : { sse: [chunk({ content: 'ok' }, 'stop'), DONE] },
    );
    const llm = createLlm({ type: 'openai-chat', base_url: s.url, model: 'm' });
    await llm.contextWindow();
    for (let i = 0; i < 3; i++) await drain(llm.stream(req()));
    const chats = s.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(new Set(chats.map((r) => r.conn)).size).toBe(3);
  });
});
