import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '@va/pipeline';
import { z } from 'zod';
import { readBody, sendJson, sleep } from '../common/http-util.ts';
import { serveStandin } from '../common/standin-server.ts';
import type { RequestContext, RunningStandin } from '../common/standin-server.ts';
import { extractiveAnswer, lastUserMessage, streamPieces } from '../engines/extractive.ts';
import { countTokens } from '../engines/text-features.ts';
import { errorBody, sendError, sseData, sseHeaders } from './wire.ts';
import type { ErrorShape } from './wire.ts';

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
  /** When set, a stream fails with an in-stream `data: {"error":...}` after this many answer tokens. */
  inStreamErrorAfter?: number | null;
}

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

export async function startChatStandin(opts: ChatStandinOptions = {}): Promise<ChatStandin> {
  const model = opts.modelId ?? 'qwen/qwen3-32b';
  const mode = {
    thinking: opts.thinking ?? ('reasoning' as ThinkingMode),
    errorShape: opts.errorShape ?? ('envelope' as ErrorShape),
    inStreamErrorAfter: opts.inStreamErrorAfter ?? null,
    firstTokenMs: opts.firstTokenMs ?? 0,
    perTokenMs: opts.perTokenMs ?? 0,
  };
  const startedAt = Date.now();
  let forcedReady: boolean | undefined;
  let completions = 0;
  const ready = (): boolean => forcedReady ?? Date.now() - startedAt >= (opts.readyDelayMs ?? 0);

  async function chat(ctx: RequestContext): Promise<void> {
    const { res, signal } = ctx;
    const raw = (await readBody(ctx.req)).toString('utf8');
    if (!ready()) return sendError(res, mode.errorShape, 503, 'Model is not ready');
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return sendError(res, mode.errorShape, 400, 'Invalid JSON body');
    }
    const parsed = requestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return sendError(res, mode.errorShape, 400, `Invalid request: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    const body = parsed.data;
    const messages = body.messages as ChatMessage[];
    completions++;
    const answer = streamPieces(extractiveAnswer(messages));
    const limit = body.max_completion_tokens ?? body.max_tokens ?? Infinity;
    const content = answer.slice(0, limit);
    const finish = answer.length > limit ? 'length' : 'stop';
    const thinkOn = body.chat_template_kwargs?.enable_thinking !== false;
    const question = lastUserMessage(messages).replace(/<<<[\s\S]*?>>>/g, ' ').trim().split(/\s+/).slice(0, 6).join(' ');
    const think = thinkOn ? streamPieces(`The user asks: ${question}. I will answer from the given passages only.`) : [];
    const promptTokens = messages.reduce((n, m) => n + countTokens(m.content) + 4, 0);
    const usage = { prompt_tokens: promptTokens, completion_tokens: think.length + content.length, total_tokens: promptTokens + think.length + content.length };
    const id = `chatcmpl-${randomUUID().replaceAll('-', '')}`;
    const created = Math.floor(Date.now() / 1000);
    const t0 = ctx.arrivedAt;
    let emitted = 0;
    /** Waits until token number `emitted` is due. */
    const tick = async (): Promise<boolean> => {
      const due = mode.firstTokenMs + ctx.extraMs + emitted * mode.perTokenMs;
      emitted++;
      return sleep(due - (performance.now() - t0), signal);
    };

    if (!body.stream) {
      for (let i = 0; i < think.length + content.length; i++) if (!(await tick())) return;
      const message: Record<string, unknown> = { role: 'assistant', content: content.join('') };
      if (think.length) {
        if (mode.thinking === 'content') message['content'] = `<think>\n${think.join('')}\n</think>\n\n${content.join('')}`;
        else message[mode.thinking] = think.join('');
      }
      return sendJson(res, 200, {
        id, object: 'chat.completion', created, model,
        choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
        usage,
      });
    }

    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> => ({
      id, object: 'chat.completion.chunk', created, model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
    sseHeaders(res);
    sseData(res, chunk({ role: 'assistant', content: '' }));
    const thinkPieces = mode.thinking === 'content' && think.length ? ['<think>\n', ...think, '\n</think>\n\n'] : think;
    for (const p of thinkPieces) {
      if (!(await tick())) return;
      sseData(res, chunk(mode.thinking === 'content' ? { content: p } : { [mode.thinking]: p }));
    }
    for (let i = 0; i < content.length; i++) {
      if (mode.inStreamErrorAfter !== null && i >= mode.inStreamErrorAfter) {
        sseData(res, errorBody('envelope', 500, 'injected in-stream error'));
        return void res.end();
      }
      if (!(await tick())) return;
      sseData(res, chunk({ content: content[i] }));
    }
    sseData(res, chunk({}, finish));
    if (body.stream_options?.include_usage) sseData(res, { id, object: 'chat.completion.chunk', created, model, choices: [], usage });
    sseData(res, '[DONE]');
    res.end();
  }

  const running = await serveStandin({
    name: 'chat',
    host: opts.host,
    port: opts.port,
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
        res.writeHead(ready() ? 200 : 503, { 'Content-Length': '0' });
        return void res.end();
      }
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
    },
    extraStats: () => ({ completions }),
  });
  return { ...running, setReady: (r) => void (forcedReady = r) };
}
