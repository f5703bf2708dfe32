import { z } from 'zod';
import type { ChatMessage, LlmChunk, LlmProvider, LlmRequest, Logger } from '@va/pipeline';
import { boolish, numberish, optionalString, parseOptions } from '../config.ts';
import type { ParsedProviderConfig, ResolvedTimeouts } from '../config.ts';
import { endpointOf, healthOf, post, streamExchange } from '../http/exchange.ts';
import { parseChatStream } from './chat-stream.ts';
import type { ThinkCount } from './chat-stream.ts';
import { ContextLearner, fitMessages, fitToWindow } from './context.ts';
import type { ContextWindow, FitInput, FitResult } from './context.ts';
import { ModelResolver } from './models.ts';

export const openAiChatOptionsSchema = z
  .object({
    /** Send `chat_template_kwargs: {enable_thinking: false}` (Qwen3 hard switch; some servers ignore it). */
    disable_thinking: boolish.default(true),
    /**
     * Append ` /no_think` to the last user message (Qwen3 soft switch, honoured by any server).
     * `auto`: when thinking is disabled and the model id names Qwen.
     */
    no_think_suffix: z.union([z.literal('auto'), boolish]).default('auto'),
    temperature: numberish.pipe(z.number().min(0).max(2)).default(0.7),
    top_p: numberish.pipe(z.number().gt(0).max(1)).default(0.8),
    top_k: numberish.pipe(z.number().int().positive()).optional(),
    max_tokens: numberish.pipe(z.number().int().positive()).default(256),
    /** The model's context in tokens; unset = learnt from the server (`/props`, `max_model_len`). */
    context_tokens: numberish.pipe(z.number().int().positive()).optional(),
    health_path: optionalString.transform((s) => s ?? '/v1/health/ready'),
    health_timeout_ms: numberish.pipe(z.number().positive()).default(3000),
    chat_path: optionalString.transform((s) => s ?? '/v1/chat/completions'),
  })
  .strict();
export type OpenAiChatOptions = z.output<typeof openAiChatOptionsSchema>;

export interface ThinkStats {
  streams: number;
  /** Streams in which the model thought although thinking was meant to be off. */
  streamsWithThinking: number;
  thoughtChars: number;
}

export interface OpenAiChatDeps {
  logger?: Logger | undefined;
  /** Called when a stream carried a think block (a live turn paid for thinking). */
  onThink?: ((count: ThinkCount) => void) | undefined;
}

/** The LLM port plus what this adapter knows about its model: context window and thinking. */
export interface ChatLlm extends LlmProvider {
  /** The model's context window, learnt once (null when neither config nor server says). */
  contextWindow(signal?: AbortSignal): Promise<ContextWindow | null>;
  /** Fits passages and history to the context window and caps max tokens (see FitInput). */
  fitPrompt<P, H>(input: FitInput<P, H>): Promise<FitResult<P, H>>;
  /** Think blocks seen since start (thinking is meant to be off on live turns). */
  thinkStats(): ThinkStats;
}

export function createOpenAiChatLlm(config: ParsedProviderConfig, timeouts: ResolvedTimeouts, deps: OpenAiChatDeps = {}): ChatLlm {
  const ep = endpointOf('llm:openai-chat', config, timeouts, deps.logger);
  const { provider, baseUrl } = ep;
  const opts = parseOptions(openAiChatOptionsSchema, config.options, provider);
  const models = new ModelResolver({ provider, baseUrl, model: config.model, apiKey: config.api_key, timeoutMs: timeouts.firstByteMs });
  const context = new ContextLearner({ baseUrl, apiKey: config.api_key, configured: opts.context_tokens, timeoutMs: Math.min(timeouts.firstByteMs, 5000) });
  const stats: ThinkStats = { streams: 0, streamsWithThinking: 0, thoughtChars: 0 };

  /** Learns the window; a llama-server (cpp-httplib, no TCP_NODELAY) also gets fresh connections. */
  const learn = async (signal?: AbortSignal): Promise<ContextWindow | null> => {
    const window = await context.learn(signal);
    if (window?.llamaServer && !ep.freshConfigured) ep.fresh = true;
    return window;
  };

  const noThink = (model: string): boolean => (opts.no_think_suffix === 'auto' ? opts.disable_thinking && /qwen/i.test(model) : opts.no_think_suffix);

  const buildBody = (model: string, req: LlmRequest): Record<string, unknown> => {
    const fitted = fitMessages(provider, context.known?.nCtx ?? null, req.messages, req.maxTokens ?? opts.max_tokens);
    const messages: ChatMessage[] = fitted.messages.map((m) => ({ ...m }));
    if (noThink(model)) {
      const last = messages.findLastIndex((m) => m.role === 'user');
      const m = last >= 0 ? messages[last] : undefined;
      if (m && !m.content.includes('/no_think')) m.content = `${m.content} /no_think`;
    }
    return {
      model,
      messages,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: fitted.maxTokens,
      temperature: req.temperature ?? opts.temperature,
      top_p: opts.top_p,
      ...(opts.top_k !== undefined ? { top_k: opts.top_k } : {}),
      ...(opts.disable_thinking ? { chat_template_kwargs: { enable_thinking: false } } : {}),
    };
  };

  const onThink = (count: ThinkCount): void => {
    stats.streamsWithThinking++;
    stats.thoughtChars += count.chars;
    ep.logger?.warn({ think_blocks: count.blocks, think_chars: count.chars, thinking_disabled: opts.disable_thinking }, 'llm thought on a live turn');
    deps.onThink?.(count);
  };

  /** The window as far as known without waiting; the first stream starts learning it. */
  const noteWindow = (): void => {
    context.fromModels(models.maxModelLen);
    if (context.known) {
      if (context.known.llamaServer && !ep.freshConfigured) ep.fresh = true;
      return;
    }
    void context.learnInBackground().then((w) => {
      if (w?.llamaServer && !ep.freshConfigured) ep.fresh = true;
    });
  };

  async function* stream(req: LlmRequest): AsyncGenerator<LlmChunk> {
    stats.streams++;
    yield* streamExchange(
      ep,
      'llm stream',
      async () => {
        const model = await models.resolve(req.signal);
        noteWindow();
        const body = buildBody(model, req);
        return post(ep, opts.chat_path, { json: body }, { signal: req.signal, accept: 'text/event-stream' });
      },
      (call, res) =>
        parseChatStream(provider, call, res, (count) => {
          onThink(count);
          req.onThink?.(count);
        }),
    );
  }

  return {
    role: 'llm',
    type: 'openai-chat',
    baseUrl,
    stream,
    health: healthOf(ep, opts.health_path, opts.health_timeout_ms, opts.health_path === '/health' ? {} : { fallbackOn404: '/health' }),
    contextWindow: learn,
    fitPrompt: async (input) => {
      const window = await learn(input.signal).catch(() => null);
      return fitToWindow(provider, window?.nCtx ?? null, input, input.maxTokens ?? opts.max_tokens);
    },
    thinkStats: () => ({ ...stats }),
  };
}
