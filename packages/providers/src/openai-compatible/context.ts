import { z } from 'zod';
import { ProviderError } from '@va/pipeline';
import type { ChatMessage, LlmFitInput, LlmFitResult } from '@va/pipeline';
import { joinUrl } from '../config.ts';
import { HttpCall } from '../http/call.ts';
import { bearer } from '../http/health.ts';

/** The model's context window and where we learnt it. */
export interface ContextWindow {
  /** Tokens the server holds for one request (prompt + answer). */
  nCtx: number;
  source: 'config' | 'llama-server /props' | '/v1/models max_model_len';
  /** llama-server answered `/props`: a cpp-httplib server, which writes without TCP_NODELAY. */
  llamaServer: boolean;
}

const propsSchema = z.object({ default_generation_settings: z.object({ n_ctx: z.number().int().positive() }).loose() }).loose();
const modelsSchema = z.object({ data: z.array(z.object({ max_model_len: z.number().int().positive().optional() }).loose()).min(1) }).loose();

/** Tokens kept free between prompt + answer and the window (template tokens we do not count). */
const MARGIN_TOKENS = 32;
/** An answer shorter than this is not worth asking for: the prompt is too long. */
const MIN_ANSWER_TOKENS = 32;

/**
 * A conservative token count without the model's tokenizer: Qwen/Llama BPE averages ~4 ASCII
 * characters per token (we assume 3) and about one token per CJK character (we assume 1.2), plus
 * the chat template's per-message tokens. Overestimating only trims a little more than needed.
 */
export function estimateTokens(messages: ChatMessage[]): number {
  let n = 0;
  for (const m of messages) {
    let ascii = 0;
    let other = 0;
    for (const ch of m.content) {
      if (ch.charCodeAt(0) < 128) ascii++;
      else other++;
    }
    n += Math.ceil(ascii / 3 + other * 1.2) + 8;
  }
  return n + 8;
}

async function getJson(url: string, apiKey: string | undefined, timeoutMs: number, signal: AbortSignal | undefined): Promise<unknown> {
  const call = new HttpCall({
    provider: 'llm:context',
    url,
    init: { method: 'GET', headers: { accept: 'application/json', ...bearer(apiKey) } },
    timeouts: { firstByteMs: timeoutMs, totalMs: timeoutMs },
    signal,
  });
  try {
    return (await call.readJson(await call.send())).json;
  } finally {
    call.close();
  }
}

/**
 * Learns the context window once: the configured `context_tokens` wins; else llama-server
 * `GET /props` (`default_generation_settings.n_ctx`); else vLLM/NIM `GET /v1/models`
 * (`max_model_len`). Unknown (null) when none says; a failed look-up is tried again next time.
 */
export class ContextLearner {
  #cached: Promise<ContextWindow | null> | undefined;
  #known: ContextWindow | null = null;
  #backgroundTried = false;
  constructor(private readonly o: { baseUrl: string; apiKey: string | undefined; configured: number | undefined; timeoutMs: number }) {
    if (o.configured !== undefined) this.#known = { nCtx: o.configured, source: 'config', llamaServer: false };
  }

  /** What is known now, without asking the server. */
  get known(): ContextWindow | null {
    return this.#known;
  }

  /** Sets the window from a `/v1/models` answer another request already read (unless known). */
  fromModels(maxModelLen: number | undefined): void {
    if (this.#known === null && maxModelLen !== undefined) this.#known = { nCtx: maxModelLen, source: '/v1/models max_model_len', llamaServer: false };
  }

  /**
   * Off the voice path, on the first stream: only llama-server's `/props` (the server that cuts
   * the front of a long prompt silently; vLLM and NIM refuse it with a 400). Asked once.
   */
  learnInBackground(): Promise<ContextWindow | null> {
    if (this.#known !== null || this.#cached || this.#backgroundTried) return Promise.resolve(this.#known);
    this.#backgroundTried = true;
    const { baseUrl, apiKey, timeoutMs } = this.o;
    return getJson(joinUrl(baseUrl, '/props'), apiKey, timeoutMs, undefined).then(
      (json) => {
        const props = propsSchema.safeParse(json);
        if (props.success && this.#known === null) this.#known = { nCtx: props.data.default_generation_settings.n_ctx, source: 'llama-server /props', llamaServer: true };
        return this.#known;
      },
      () => this.#known,
    );
  }

  learn(signal?: AbortSignal): Promise<ContextWindow | null> {
    if (this.#known?.source === 'config') return Promise.resolve(this.#known);
    if (!this.#cached) {
      const p = this.#ask(signal);
      this.#cached = p;
      p.then(
        (w) => {
          this.#known = w;
          if (w === null && this.#cached === p) this.#cached = undefined;
        },
        () => {
          if (this.#cached === p) this.#cached = undefined;
        },
      );
    }
    return this.#cached;
  }

  async #ask(signal?: AbortSignal): Promise<ContextWindow | null> {
    const { baseUrl, apiKey, timeoutMs } = this.o;
    const props = propsSchema.safeParse(await getJson(joinUrl(baseUrl, '/props'), apiKey, timeoutMs, signal).catch(() => undefined));
    if (props.success) return { nCtx: props.data.default_generation_settings.n_ctx, source: 'llama-server /props', llamaServer: true };
    const models = modelsSchema.safeParse(await getJson(joinUrl(baseUrl, '/v1/models'), apiKey, timeoutMs, signal).catch(() => undefined));
    const len = models.success ? models.data.data[0]!.max_model_len : undefined;
    return len !== undefined ? { nCtx: len, source: '/v1/models max_model_len', llamaServer: false } : null;
  }
}

/** The port's shapes (packages/pipeline ports.ts): passages best first, history oldest first. */
export type FitInput<P, H> = LlmFitInput<P, H>;
export type FitResult<P, H> = LlmFitResult<P, H>;

/**
 * Fits a prompt to `nCtx` (see FitInput for the order things are dropped in). When even the system
 * prompt and the question leave fewer than MIN_ANSWER_TOKENS, it throws a non-retryable
 * `bad_request` rather than letting the server cut the front of the prompt.
 */
export function fitToWindow<P, H>(provider: string, nCtx: number | null, input: FitInput<P, H>, maxTokens: number): FitResult<P, H> {
  const passages = [...input.passages];
  const history = [...input.history];
  let messages = input.build(passages, history);
  let promptTokens = estimateTokens(messages);
  const result = (max: number): FitResult<P, H> => ({
    messages,
    maxTokens: max,
    passages,
    history,
    droppedPassages: input.passages.length - passages.length,
    droppedHistory: input.history.length - history.length,
    nCtx,
    promptTokens,
  });
  if (nCtx === null) return result(maxTokens);
  while (promptTokens + maxTokens + MARGIN_TOKENS > nCtx && (passages.length > 0 || history.length > 0)) {
    if (passages.length > 0) passages.pop();
    else history.shift();
    messages = input.build(passages, history);
    promptTokens = estimateTokens(messages);
  }
  const room = nCtx - promptTokens - MARGIN_TOKENS;
  if (room < Math.min(MIN_ANSWER_TOKENS, maxTokens)) {
    throw new ProviderError({
      provider,
      code: 'bad_request',
      retryable: false,
      message: `${provider}: the system prompt and question (~${promptTokens} tokens) do not fit the model's context of ${nCtx} tokens`,
    });
  }
  return result(Math.min(maxTokens, room));
}

/**
 * The safety net for a request that did not go through `fitPrompt`: caps `max_tokens`, then drops
 * the oldest history messages (never the first system message or the last user message).
 */
export function fitMessages(provider: string, nCtx: number | null, messages: ChatMessage[], maxTokens: number): { messages: ChatMessage[]; maxTokens: number } {
  if (nCtx === null) return { messages, maxTokens };
  const first = messages[0]?.role === 'system' ? 1 : 0;
  const last = messages.findLastIndex((m) => m.role === 'user');
  const cut = Math.max(first, last);
  const head = messages.slice(0, first);
  const tail = messages.slice(cut);
  const fitted = fitToWindow(provider, nCtx, { passages: [], history: messages.slice(first, cut), build: (_p, h) => [...head, ...h, ...tail] }, maxTokens);
  return { messages: fitted.messages, maxTokens: fitted.maxTokens };
}
