import { z } from 'zod';
import { ProviderError } from '@va/pipeline';
import type { ChatMessage, LlmChunk, LlmProvider, LlmRequest, Logger, ProviderHealth } from '@va/pipeline';
import { boolish, joinUrl, numberish, optionalString, parseOptions } from '../config.ts';
import type { ParsedProviderConfig, ResolvedTimeouts } from '../config.ts';
import { HttpCall, logFailure } from '../http/call.ts';
import { badResponse } from '../http/errors.ts';
import { bearer, probeHealth } from '../http/health.ts';
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
  const provider = 'llm:openai-chat';
  const opts = parseOptions(openAiChatOptionsSchema, config.options, provider);
  const baseUrl = config.base_url;
  const models = new ModelResolver({ provider, baseUrl, model: config.model, apiKey: config.api_key, timeoutMs: timeouts.firstByteMs });
  const logger = deps.logger?.child({ provider });

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
    let call: HttpCall | undefined;
    try {
      const model = await models.resolve(req.signal);
      call = new HttpCall({
        provider,
        url: joinUrl(baseUrl, opts.chat_path),
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...bearer(config.api_key) },
          body: JSON.stringify(buildBody(model, req)),
        },
        timeouts,
        signal: req.signal,
      });
      const res = await call.send();
      yield* parseChatStream(provider, call, res);
    } catch (err) {
      const e = err instanceof ProviderError ? err : (call?.toError(err, 'body') ?? badResponse(provider, String(err), err));
      logFailure(logger, e, 'llm stream');
      throw e;
    } finally {
      call?.close();
    }
  }

  return {
    role: 'llm',
    type: 'openai-chat',
    baseUrl,
    stream,
    health: (signal?: AbortSignal): Promise<ProviderHealth> =>
      probeHealth({
        url: joinUrl(baseUrl, opts.health_path),
        fallbackOn404: opts.health_path === '/health' ? undefined : joinUrl(baseUrl, '/health'),
        timeoutMs: opts.health_timeout_ms,
        headers: bearer(config.api_key),
        signal,
      }),
  };
}
