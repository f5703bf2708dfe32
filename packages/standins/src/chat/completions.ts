import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '@va/pipeline';
import { z } from 'zod';
import { readBody, sendJson, sleep } from '../common/http-util.ts';
import type { RequestContext } from '../common/standin-server.ts';
import { extractiveAnswer, lastUserMessage, streamPieces } from '../engines/extractive.ts';
import { sendError, sseData, sseHeaders } from './wire.ts';
import type { ErrorShape } from './wire.ts';
import {
  CONTEXT_EXCEEDED,
  CONTEXT_SHIFT_DISABLED,
  STREAM_ERROR_FRAMINGS,
  promptTokens,
  sendContextExceeded,
  sendJsonParseError,
  sendMissingMessages,
  truncateFront,
  writeStreamError,
  type StreamErrorFraming,
} from './llama.ts';
import type { ChatStandinOptions, ThinkingMode } from './server.ts';

const requestSchema = z.object({
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })).min(1),
  stream: z.boolean().optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullable().optional(),
  chat_template_kwargs: z.object({ enable_thinking: z.boolean().optional() }).passthrough().nullable().optional(),
});

type ChatRequest = z.infer<typeof requestSchema>;

interface Reply {
  body: ChatRequest;
  think: string[];
  content: string[];
  finish: string;
  promptTokens: number;
}

/** Switches `POST /__standin/mode` can change while the server runs. */
interface ChatMode {
  thinking: ThinkingMode;
  errorShape: ErrorShape;
  inStreamErrorAfter: number | null;
  firstTokenMs: number;
  perTokenMs: number;
  contextShift: boolean;
  streamErrorFraming: StreamErrorFraming;
}

const usageOf = (r: Reply): Record<string, number> => {
  const completion = r.think.length + r.content.length;
  return { prompt_tokens: r.promptTokens, completion_tokens: completion, total_tokens: r.promptTokens + completion };
};

/** The chat stand-in's model: readiness, switches, and `POST /v1/chat/completions` answered from the passages. */
export class ChatCompletions {
  readonly model: string;
  readonly llama: boolean;
  readonly nCtx: number;
  readonly startedAt = Date.now();
  readonly mode: ChatMode;
  forcedReady: boolean | undefined;
  completions = 0;
  truncatedPrompts = 0;
  readonly #readyDelayMs: number;

  constructor(opts: ChatStandinOptions) {
    this.model = opts.modelId ?? 'qwen/qwen3-32b';
    this.llama = opts.flavour === 'llama.cpp';
    this.nCtx = opts.nCtx ?? 2048;
    this.mode = {
      thinking: opts.thinking ?? 'reasoning',
      errorShape: opts.errorShape ?? 'envelope',
      inStreamErrorAfter: opts.inStreamErrorAfter ?? null,
      firstTokenMs: opts.firstTokenMs ?? 0,
      perTokenMs: opts.perTokenMs ?? 0,
      contextShift: opts.contextShift ?? true,
      streamErrorFraming: opts.streamErrorFraming ?? 'data-error',
    };
    this.#readyDelayMs = opts.readyDelayMs ?? 0;
  }

  ready(): boolean {
    return this.forcedReady ?? Date.now() - this.startedAt >= this.#readyDelayMs;
  }

  /** `POST /__standin/mode` switches. */
  setMode(b: Record<string, unknown>): void {
    const mode = this.mode;
    if (b['thinking'] === 'reasoning' || b['thinking'] === 'reasoning_content' || b['thinking'] === 'content') mode.thinking = b['thinking'];
    if (b['errorShape'] === 'envelope' || b['errorShape'] === 'object') mode.errorShape = b['errorShape'];
    if (b['inStreamErrorAfter'] === null || typeof b['inStreamErrorAfter'] === 'number') mode.inStreamErrorAfter = b['inStreamErrorAfter'];
    if (typeof b['firstTokenMs'] === 'number') mode.firstTokenMs = b['firstTokenMs'];
    if (typeof b['perTokenMs'] === 'number') mode.perTokenMs = b['perTokenMs'];
    if (typeof b['ready'] === 'boolean') this.forcedReady = b['ready'];
    if (typeof b['contextShift'] === 'boolean') mode.contextShift = b['contextShift'];
    if (STREAM_ERROR_FRAMINGS.includes(b['streamErrorFraming'] as StreamErrorFraming)) mode.streamErrorFraming = b['streamErrorFraming'] as StreamErrorFraming;
  }

  /** `POST /v1/chat/completions`. */
  async chat(ctx: RequestContext): Promise<void> {
    const { mode, llama, nCtx } = this;
    const body = await this.#parseRequest(ctx);
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
      this.truncatedPrompts++;
    }
    this.completions++;
    const answer = streamPieces(extractiveAnswer(messages));
    const limit = body.max_completion_tokens ?? body.max_tokens ?? Infinity;
    const question = lastUserMessage(messages).replace(/<<<[\s\S]*?>>>/g, ' ').trim().split(/\s+/).slice(0, 6).join(' ');
    const reply: Reply = {
      body,
      think: this.#thinks(body, messages) ? streamPieces(`The user asks: ${question}. I will answer from the given passages only.`) : [],
      content: answer.slice(0, limit),
      finish: answer.length > limit ? 'length' : 'stop',
      promptTokens: prompt,
    };
    return body.stream ? this.#streamReply(ctx, reply) : this.#sendReply(ctx, reply);
  }

  /** The parsed request, or undefined after an error response in the server's own shape. */
  async #parseRequest(ctx: RequestContext): Promise<ChatRequest | undefined> {
    const { res } = ctx;
    const { mode, llama } = this;
    const raw = (await readBody(ctx.req)).toString('utf8');
    if (!this.ready()) return void sendError(res, mode.errorShape, 503, 'Model is not ready');
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
  #thinks(body: ChatRequest, messages: ChatMessage[]): boolean {
    if (/\/no_think\b/.test(lastUserMessage(messages))) return false;
    return this.llama || body.chat_template_kwargs?.enable_thinking !== false;
  }

  /** Waits until token number `n` is due. */
  #due(ctx: RequestContext, n: number): Promise<boolean> {
    const mode = this.mode;
    return sleep(mode.firstTokenMs + ctx.extraMs + n * mode.perTokenMs - (performance.now() - ctx.arrivedAt), ctx.signal);
  }

  async #sendReply(ctx: RequestContext, r: Reply): Promise<void> {
    const mode = this.mode;
    if (!(await this.#due(ctx, r.think.length + r.content.length - 1))) return;
    const message: Record<string, unknown> = { role: 'assistant', content: r.content.join('') };
    if (r.think.length) {
      if (mode.thinking === 'content') message['content'] = `<think>\n${r.think.join('')}\n</think>\n\n${r.content.join('')}`;
      else message[mode.thinking] = r.think.join('');
    }
    sendJson(ctx.res, 200, {
      id: `chatcmpl-${randomUUID().replaceAll('-', '')}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: this.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: r.finish }],
      usage: usageOf(r),
    });
  }

  async #streamReply(ctx: RequestContext, r: Reply): Promise<void> {
    const { res } = ctx;
    const { mode, model, llama, nCtx } = this;
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
      if (!(await this.#due(ctx, n++))) return;
      sseData(res, chunk(mode.thinking === 'content' ? { content: p } : { [mode.thinking]: p }));
    }
    for (let i = 0; i < r.content.length; i++) {
      if (mode.inStreamErrorAfter !== null && i >= mode.inStreamErrorAfter) {
        return writeStreamError(res, mode.streamErrorFraming, { code: 500, message: 'injected in-stream error', type: 'server_error' });
      }
      if (llama && !mode.contextShift && r.promptTokens + n >= nCtx) return writeStreamError(res, mode.streamErrorFraming, CONTEXT_SHIFT_DISABLED);
      if (!(await this.#due(ctx, n++))) return;
      sseData(res, chunk({ content: r.content[i] }));
    }
    sseData(res, chunk({}, r.finish));
    if (r.body.stream_options?.include_usage) sseData(res, { id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageOf(r) });
    sseData(res, '[DONE]');
    res.end();
  }
}
