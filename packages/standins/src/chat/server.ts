import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '@va/pipeline';
import { z } from 'zod';
import { readBody, sendJson, sleep } from '../common/http-util.ts';
import { serveStandin } from '../common/standin-server.ts';
import type { RequestContext, RunningStandin } from '../common/standin-server.ts';
import { extractiveAnswer, lastUserMessage, streamPieces } from '../engines/extractive.ts';
import { sendError, sseData, sseHeaders } from './wire.ts';
import type { ErrorShape } from './wire.ts';
import {
  CONTEXT_EXCEEDED,
  CONTEXT_SHIFT_DISABLED,
  STREAM_ERROR_FRAMINGS,
  promptTokens,
  propsBody,
  sendContextExceeded,
  sendJsonParseError,
  sendMissingMessages,
  truncateFront,
  writeStreamError,
  type StreamErrorFraming,
} from './llama.ts';

export type ThinkingMode = 'reasoning' | 'reasoning_content' | 'content';

export interface ChatStandinOptions {
  host?: string;
  port?: number;
  /** Id listed by /v1/models and reported in every response. Default `qwen/qwen3-32b`. */
  modelId?: string;
  /** Delay before the first generated token (think or answer). Default 0. */
  firstTokenMs?: number;
  /** Delay between later tokens. Default 0. */
  perTokenMs?: number;
  /** `/v1/health/ready` answers 503 (and chat 503) until this long after start. Default 0. */
  readyDelayMs?: number;
  /** Where the think block goes when `enable_thinking` is not false. Default `reasoning`. */
  thinking?: ThinkingMode;
  /** Error body shape. Default `envelope` (`{"error":{...}}`). */
  errorShape?: ErrorShape;
  /** When set, a stream fails with an in-stream error after this many answer tokens. */
  inStreamErrorAfter?: number | null;
  /**
   * `vllm` (NIM/vLLM, default) or `llama.cpp`: llama-server as observed (client errors as 500,
   * `GET /props`, a context of `nCtx` tokens with context shift, `chat_template_kwargs` ignored).
   */
  flavour?: ChatFlavour;
  /** llama.cpp: context size (`/props` n_ctx). Default 2048. */
  nCtx?: number;
  /**
   * llama.cpp: an over-long prompt is cut from the front (true, the server's default) or refused
   * (`--no-context-shift`: an in-stream error; generation running into the end of the context
   * fails with "context shift is disabled"). Default true.
   */
  contextShift?: boolean;
  /** Framing of in-stream errors. Default `data-error` (vLLM); older llama.cpp: `sse-error-field`. */
  streamErrorFraming?: StreamErrorFraming;
  /** Write without TCP_NODELAY, headers and body apart (cpp-httplib). Default false. */
  nagle?: boolean;
}

export type ChatFlavour = 'vllm' | 'llama.cpp';

export interface ChatStandin extends RunningStandin {
  setReady(ready: boolean): void;
}

const requestSchema = z.object({
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })).min(1),
  stream: z.boolean().optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullable().optional(),
  chat_template_kwargs: z.object({ enable_thinking: z.boolean().optional() }).passthrough().nullable().optional(),
});

type ChatRequest = z.infer<typeof requestSchema>;

export async function startChatStandin(opts: ChatStandinOptions = {}): Promise<ChatStandin> {
  const model = opts.modelId ?? 'qwen/qwen3-32b';
  const llama = opts.flavour === 'llama.cpp';
  const nCtx = opts.nCtx ?? 2048;
  const mode = {
    thinking: opts.thinking ?? ('reasoning' as ThinkingMode),
    errorShape: opts.errorShape ?? ('envelope' as ErrorShape),
    inStreamErrorAfter: opts.inStreamErrorAfter ?? null,
    firstTokenMs: opts.firstTokenMs ?? 0,
    perTokenMs: opts.perTokenMs ?? 0,
    contextShift: opts.contextShift ?? true,
    streamErrorFraming: opts.streamErrorFraming ?? ('data-error' as StreamErrorFraming),
  };
  const startedAt = Date.now();
  let forcedReady: boolean | undefined;
  let completions = 0;
  let truncatedPrompts = 0;
  const ready = (): boolean => forcedReady ?? Date.now() - startedAt >= (opts.readyDelayMs ?? 0);

  /** The parsed request, or undefined after an error response in the server's own shape. */
  async function parseRequest(ctx: RequestContext): Promise<ChatRequest | undefined> {
    const { res } = ctx;
    const raw = (await readBody(ctx.req)).toString('utf8');
    if (!ready()) return void sendError(res, mode.errorShape, 503, 'Model is not ready');
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      return void (llama ? sendJsonParseError(res, e instanceof Error ? e.message : String(e)) : sendError(res, mode.errorShape, 400, 'Invalid JSON body'));
    }
    const parsed = requestSchema.safeParse(json);
    if (parsed.success) return parsed.data;
    if (llama && (typeof json !== 'object' || json === null || !('messages' in json))) return void sendMissingMessages(res);
    const issue = parsed.error.issues[0];
    sendError(res, mode.errorShape, 400, `Invalid request: ${issue?.path.join('.')}: ${issue?.message}`);
    return undefined;
  }

  /** Whether the model thinks: llama-server ignores chat_template_kwargs; `/no_think` works everywhere. */
  function thinks(body: ChatRequest, messages: ChatMessage[]): boolean {
    if (/\/no_think\b/.test(lastUserMessage(messages))) return false;
    return llama || body.chat_template_kwargs?.enable_thinking !== false;
  }

  async function chat(ctx: RequestContext): Promise<void> {
    const body = await parseRequest(ctx);
    if (!body) return;
    let messages = body.messages as ChatMessage[];
    let prompt = promptTokens(messages);
    if (llama && prompt >= nCtx) {
      if (!mode.contextShift) {
        if (!body.stream) return sendContextExceeded(ctx.res);
        sseHeaders(ctx.res);
        return writeStreamError(ctx.res, mode.streamErrorFraming, CONTEXT_EXCEEDED);
      }
      ({ messages, promptTokens: prompt } = truncateFront(messages, nCtx));
      truncatedPrompts++;
    }
    completions++;
    const answer = streamPieces(extractiveAnswer(messages));
    const limit = body.max_completion_tokens ?? body.max_tokens ?? Infinity;
    const question = lastUserMessage(messages).replace(/<<<[\s\S]*?>>>/g, ' ').trim().split(/\s+/).slice(0, 6).join(' ');
    const reply: Reply = {
      body,
      think: thinks(body, messages) ? streamPieces(`The user asks: ${question}. I will answer from the given passages only.`) : [],
      content: answer.slice(0, limit),
      finish: answer.length > limit ? 'length' : 'stop',
      promptTokens: prompt,
    };
    return body.stream ? streamReply(ctx, reply) : sendReply(ctx, reply);
  }

  interface Reply {
    body: ChatRequest;
    think: string[];
    content: string[];
    finish: string;
    promptTokens: number;
  }

  /** Waits until token number `n` is due. */
  const due = (ctx: RequestContext, n: number): Promise<boolean> =>
    sleep(mode.firstTokenMs + ctx.extraMs + n * mode.perTokenMs - (performance.now() - ctx.arrivedAt), ctx.signal);

  const usageOf = (r: Reply): Record<string, number> => {
    const completion = r.think.length + r.content.length;
    return { prompt_tokens: r.promptTokens, completion_tokens: completion, total_tokens: r.promptTokens + completion };
  };

  async function sendReply(ctx: RequestContext, r: Reply): Promise<void> {
    if (!(await due(ctx, r.think.length + r.content.length - 1))) return;
    const message: Record<string, unknown> = { role: 'assistant', content: r.content.join('') };
    if (r.think.length) {
      if (mode.thinking === 'content') message['content'] = `<think>\n${r.think.join('')}\n</think>\n\n${r.content.join('')}`;
      else message[mode.thinking] = r.think.join('');
    }
    sendJson(ctx.res, 200, {
      id: `chatcmpl-${randomUUID().replaceAll('-', '')}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: r.finish }],
      usage: usageOf(r),
    });
  }

  async function streamReply(ctx: RequestContext, r: Reply): Promise<void> {
    const { res } = ctx;
    const id = `chatcmpl-${randomUUID().replaceAll('-', '')}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> => ({
      id, object: 'chat.completion.chunk', created, model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
    sseHeaders(res);
    sseData(res, chunk({ role: 'assistant', content: '' }));
    const thinkPieces = mode.thinking === 'content' && r.think.length ? ['<think>\n', ...r.think, '\n</think>\n\n'] : r.think;
    let n = 0;
    for (const p of thinkPieces) {
      if (!(await due(ctx, n++))) return;
      sseData(res, chunk(mode.thinking === 'content' ? { content: p } : { [mode.thinking]: p }));
    }
    for (let i = 0; i < r.content.length; i++) {
      if (mode.inStreamErrorAfter !== null && i >= mode.inStreamErrorAfter) {
        return writeStreamError(res, mode.streamErrorFraming, { code: 500, message: 'injected in-stream error', type: 'server_error' });
      }
      if (llama && !mode.contextShift && r.promptTokens + n >= nCtx) return writeStreamError(res, mode.streamErrorFraming, CONTEXT_SHIFT_DISABLED);
      if (!(await due(ctx, n++))) return;
      sseData(res, chunk({ content: r.content[i] }));
    }
    sseData(res, chunk({}, r.finish));
    if (r.body.stream_options?.include_usage) sseData(res, { id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageOf(r) });
    sseData(res, '[DONE]');
    res.end();
  }

  const running = await serveStandin({
    name: 'chat',
    host: opts.host,
    port: opts.port,
    nagle: opts.nagle,
    isWorkRoute: (method, path) => method === 'POST' && path === '/v1/chat/completions',
    errorResponse: (res, status, _path, message) => sendError(res, mode.errorShape, status, message),
    async handle(ctx) {
      const { req, res, path } = ctx;
      const method = req.method ?? 'GET';
      if (method === 'GET' && path === '/v1/health/live') {
        return sendJson(res, 200, { object: 'health.response', message: 'Service is live.' });
      }
      if (method === 'GET' && path === '/v1/health/ready') {
        return ready()
          ? sendJson(res, 200, { object: 'health.response', message: 'Service is ready.' })
          : sendJson(res, 503, { object: 'health.response', message: 'Service is not ready.' });
      }
      if (method === 'GET' && path === '/health') {
        if (llama) return ready() ? sendJson(res, 200, { status: 'ok' }) : sendJson(res, 503, { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } });
        res.writeHead(ready() ? 200 : 503, { 'Content-Length': '0' });
        return void res.end();
      }
      if (method === 'GET' && path === '/props' && llama) return sendJson(res, 200, propsBody(model, nCtx));
      if (method === 'GET' && path === '/v1/models') {
        return sendJson(res, 200, {
          object: 'list',
          data: [{ id: model, object: 'model', created: Math.floor(startedAt / 1000), owned_by: 'system', root: model, parent: null, max_model_len: 32768 }],
        });
      }
      if (method === 'POST' && path === '/v1/chat/completions') return chat(ctx);
      await readBody(req).catch(() => undefined);
      sendError(res, mode.errorShape, 404, `Route ${method} ${path} not found`);
    },
    setMode(b) {
      if (b['thinking'] === 'reasoning' || b['thinking'] === 'reasoning_content' || b['thinking'] === 'content') mode.thinking = b['thinking'];
      if (b['errorShape'] === 'envelope' || b['errorShape'] === 'object') mode.errorShape = b['errorShape'];
      if (b['inStreamErrorAfter'] === null || typeof b['inStreamErrorAfter'] === 'number') mode.inStreamErrorAfter = b['inStreamErrorAfter'];
      if (typeof b['firstTokenMs'] === 'number') mode.firstTokenMs = b['firstTokenMs'];
      if (typeof b['perTokenMs'] === 'number') mode.perTokenMs = b['perTokenMs'];
      if (typeof b['ready'] === 'boolean') forcedReady = b['ready'];
      if (typeof b['contextShift'] === 'boolean') mode.contextShift = b['contextShift'];
      if (STREAM_ERROR_FRAMINGS.includes(b['streamErrorFraming'] as StreamErrorFraming)) mode.streamErrorFraming = b['streamErrorFraming'] as StreamErrorFraming;
    },
    extraStats: () => ({ completions, truncatedPrompts }),
  });
  return { ...running, setReady: (r) => void (forcedReady = r) };
}
