import type { ServerResponse } from 'node:http';
import type { ChatMessage } from '@va/pipeline';
import { countTokens } from '../engines/text-features.ts';
import { llamaError } from '../common/llama-error.ts';

/**
 * llama-server (llama.cpp c392e509, Feb 2025) as observed on a real one: see provider-apis.md,
 * "Observed on real servers, 2026-12".
 */

/** How an error inside a stream is framed. */
export type StreamErrorFraming =
  /** vLLM and newer llama.cpp builds: `data: {"error":{...}}`. */
  | 'data-error'
  /** Older llama.cpp builds: an SSE line with the field name `error`, then still `data: [DONE]`. */
  | 'sse-error-field';

export const STREAM_ERROR_FRAMINGS: readonly StreamErrorFraming[] = ['data-error', 'sse-error-field'];

export function writeStreamError(res: ServerResponse, framing: StreamErrorFraming, error: Record<string, unknown>): void {
  if (framing === 'sse-error-field') {
    res.write(`error: ${JSON.stringify(error)}\n\n`);
    res.write('data: [DONE]\n\n');
  } else res.write(`data: ${JSON.stringify({ error })}\n\n`);
  res.end();
}

/** Tokens of a message as the stand-in counts them (content + 4 for the template's role markers). */
const messageTokens = (m: ChatMessage): number => countTokens(m.content) + 4;

export function promptTokens(messages: ChatMessage[]): number {
  return messages.reduce((n, m) => n + messageTokens(m), 0);
}

export interface Truncated {
  messages: ChatMessage[];
  promptTokens: number;
}

/**
 * llama-server's context shift for a prompt that does not fit (`n_keep` 0): the front is erased
 * in blocks of (n_ctx - n_keep) / 2 tokens until the rest fits, silently (200 OK, a smaller
 * `prompt_tokens`). The erased front (system prompt, passages) is what the model never sees.
 */
export function truncateFront(messages: ChatMessage[], nCtx: number): Truncated {
  const total = promptTokens(messages);
  if (total < nCtx) return { messages, promptTokens: total };
  const block = Math.floor(nCtx / 2);
  const erase = Math.floor((total - block) / block) * block;
  let left = erase;
  const kept: ChatMessage[] = [];
  for (const m of messages) {
    const n = messageTokens(m);
    if (left >= n) {
      left -= n;
      continue;
    }
    if (left > 0) {
      const words = m.content.split(/(?<=\s)|(?<=[\u3000-\u9fff])/u);
      kept.push({ ...m, content: words.slice(Math.min(words.length - 1, Math.round((left / n) * words.length))).join('') });
      left = 0;
    } else kept.push(m);
  }
  return { messages: kept, promptTokens: total - erase };
}

/** `GET /props`: the server's context size is `default_generation_settings.n_ctx`. */
export function propsBody(model: string, nCtx: number): Record<string, unknown> {
  return {
    default_generation_settings: { n_ctx: nCtx, model, n_predict: -1, temperature: 0.8, top_k: 40, top_p: 0.95 },
    total_slots: 1,
    model_path: `/models/${model}.gguf`,
    chat_template: '{% for message in messages %}...{% endfor %}',
    build_info: 'b4739-c392e509',
  };
}

/** llama-server answers client errors as 500 with the JSON library's message. */
export function sendJsonParseError(res: ServerResponse, detail: string): void {
  llamaError(res, 500, `[json.exception.parse_error.101] parse error at line 1: ${detail}`);
}

export function sendMissingMessages(res: ServerResponse): void {
  llamaError(res, 500, "[json.exception.out_of_range.403] key 'messages' not found");
}

export function sendContextExceeded(res: ServerResponse): void {
  llamaError(res, 400, 'the request exceeds the available context size, try increasing it');
}

export const CONTEXT_EXCEEDED = { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'invalid_request_error' };
export const CONTEXT_SHIFT_DISABLED = { code: 500, message: 'context shift is disabled', type: 'server_error' };
