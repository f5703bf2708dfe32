import { readBody, sendJson } from '../common/http-util.ts';
import { serveStandin } from '../common/standin-server.ts';
import type { RequestContext, RunningStandin } from '../common/standin-server.ts';
import { ChatCompletions } from './completions.ts';
import { sendError } from './wire.ts';
import type { ErrorShape } from './wire.ts';
import { propsBody, type StreamErrorFraming } from './llama.ts';

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

/** Routes of the chat stand-in (vLLM/NIM, or llama-server with `flavour: 'llama.cpp'`). */
async function route(chat: ChatCompletions, ctx: RequestContext): Promise<void> {
  const { req, res, path } = ctx;
  const { model, llama } = chat;
  const method = req.method ?? 'GET';
  if (method === 'GET' && path === '/v1/health/live') {
    return sendJson(res, 200, { object: 'health.response', message: 'Service is live.' });
  }
  if (method === 'GET' && path === '/v1/health/ready') {
    return chat.ready()
      ? sendJson(res, 200, { object: 'health.response', message: 'Service is ready.' })
      : sendJson(res, 503, { object: 'health.response', message: 'Service is not ready.' });
  }
  if (method === 'GET' && path === '/health') {
    if (llama) return chat.ready() ? sendJson(res, 200, { status: 'ok' }) : sendJson(res, 503, { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } });
    res.writeHead(chat.ready() ? 200 : 503, { 'Content-Length': '0' });
    return void res.end();
  }
  if (method === 'GET' && path === '/props' && llama) return sendJson(res, 200, propsBody(model, chat.nCtx));
  if (method === 'GET' && path === '/v1/models') {
    return sendJson(res, 200, {
      object: 'list',
      data: [{ id: model, object: 'model', created: Math.floor(chat.startedAt / 1000), owned_by: 'system', root: model, parent: null, max_model_len: 32768 }],
    });
  }
  if (method === 'POST' && path === '/v1/chat/completions') return chat.chat(ctx);
  await readBody(req).catch(() => undefined);
  sendError(res, chat.mode.errorShape, 404, `Route ${method} ${path} not found`);
}

export async function startChatStandin(opts: ChatStandinOptions = {}): Promise<ChatStandin> {
  const chat = new ChatCompletions(opts);
  const running = await serveStandin({
    name: 'chat',
    host: opts.host,
    port: opts.port,
    nagle: opts.nagle,
    isWorkRoute: (method, path) => method === 'POST' && path === '/v1/chat/completions',
    errorResponse: (res, status, _path, message) => sendError(res, chat.mode.errorShape, status, message),
    handle: (ctx) => route(chat, ctx),
    setMode: (b) => chat.setMode(b),
    extraStats: () => ({ completions: chat.completions, truncatedPrompts: chat.truncatedPrompts }),
  });
  return { ...running, setReady: (r) => void (chat.forcedReady = r) };
}
