import { z } from 'zod';
import type { ChatMessage, LlmChunk, LlmProvider, LlmRequest, Logger } from '@va/pipeline';
import { boolish, numberish, optionalString, parseOptions } from '../config.ts';
import type { ParsedProviderConfig, ResolvedTimeouts } from '../config.ts';
import { endpointOf, healthOf, post, streamExchange } from '../http/exchange.ts';
import { parseChatStream } from './chat-stream.ts';
import { ModelResolver } from './models.ts';

export const openAiChatOptionsSchema = z
  .object({
    /** Send `chat_template_kwargs: {enable_thinking: false}` (Qwen3 hard switch). */
    disable_thinking: boolish.default(true),
    /** Append ` /no_think` to the last user message (Qwen3 soft switch, fallback only). */
    no_think_suffix: boolish.default(false),
    temperature: numberish.pipe(z.number().min(0).max(2)).default(0.7),
    top_p: numberish.pipe(z.number().gt(0).max(1)).default(0.8),
    top_k: numberish.pipe(z.number().int().positive()).optional(),
    max_tokens: numberish.pipe(z.number().int().positive()).default(256),
    health_path: optionalString.transform((s) => s ?? '/v1/health/ready'),
    health_timeout_ms: numberish.pipe(z.number().positive()).default(3000),
    chat_path: optionalString.transform((s) => s ?? '/v1/chat/completions'),
  })
  .strict();
export type OpenAiChatOptions = z.output<typeof openAiChatOptionsSchema>;

export interface OpenAiChatDeps {
  logger?: Logger | undefined;
}

export function createOpenAiChatLlm(config: ParsedProviderConfig, timeouts: ResolvedTimeouts, deps: OpenAiChatDeps = {}): LlmProvider {
  const ep = endpointOf('llm:openai-chat', config, timeouts, deps.logger);
  const { provider, baseUrl } = ep;
  const opts = parseOptions(openAiChatOptionsSchema, config.options, provider);
  const models = new ModelResolver({ provider, baseUrl, model: config.model, apiKey: config.api_key, timeoutMs: timeouts.firstByteMs });

  const buildBody = (model: string, req: LlmRequest): Record<string, unknown> => {
    const messages: ChatMessage[] = req.messages.map((m) => ({ ...m }));
    if (opts.no_think_suffix) {
      const last = messages.findLastIndex((m) => m.role === 'user');
      const m = last >= 0 ? messages[last] : undefined;
      if (m && !m.content.includes('/no_think')) m.content = `${m.content} /no_think`;
    }
    return {
      model,
      messages,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: req.maxTokens ?? opts.max_tokens,
      temperature: req.temperature ?? opts.temperature,
      top_p: opts.top_p,
      ...(opts.top_k !== undefined ? { top_k: opts.top_k } : {}),
      ...(opts.disable_thinking ? { chat_template_kwargs: { enable_thinking: false } } : {}),
    };
  };

  async function* stream(req: LlmRequest): AsyncGenerator<LlmChunk> {
    yield* streamExchange(
      ep,
      'llm stream',
      async () => {
        const body = buildBody(await models.resolve(req.signal), req);
        return post(ep, opts.chat_path, { json: body }, { signal: req.signal, accept: 'text/event-stream' });
      },
      (call, res) => parseChatStream(provider, call, res),
    );
  }

  return {
    role: 'llm',
    type: 'openai-chat',
    baseUrl,
    stream,
    health: healthOf(ep, opts.health_path, opts.health_timeout_ms, opts.health_path === '/health' ? {} : { fallbackOn404: '/health' }),
  };
}
