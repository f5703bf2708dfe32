import { z } from 'zod';
import { ProviderError } from '@va/pipeline';
import type { LlmChunk } from '@va/pipeline';
import type { HttpCall } from '../http/call.ts';
import { readBody } from '../http/call.ts';
import type { HttpResponse } from '../http/transport.ts';
import { badResponse, classifyStatus, errorMessageFromBody } from '../http/errors.ts';
import { sseEvents } from '../http/sse.ts';
import { ThinkStripper } from './think-strip.ts';

/** One `data:` payload of a chat completion stream (only the parts we read). */
const deltaSchema = z
  .object({
    role: z.string().nullish(),
    content: z.string().nullish(),
    reasoning: z.string().nullish(),
    reasoning_content: z.string().nullish(),
  })
  .loose();
export const chatChunkSchema = z
  .object({
    choices: z
      .array(z.object({ index: z.number().optional(), delta: deltaSchema.nullish(), finish_reason: z.string().nullish() }).loose())
      .optional(),
    usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).loose().nullish(),
    error: z.unknown().optional(),
  })
  .loose();

/**
 * Turns an OpenAI-style SSE chat stream into LlmChunks: content deltas (think blocks stripped,
 * `reasoning`/`reasoning_content` ignored), `finish`, `usage` (also from the `choices: []` chunk).
 * A `data: {"error":...}` event or an end without `[DONE]`/finish is an error.
 */
export async function* parseChatStream(provider: string, call: HttpCall, res: HttpResponse): AsyncGenerator<LlmChunk> {
  const think = new ThinkStripper();
  let finished = false;
  let done = false;
  for await (const ev of sseEvents(readBody(call, res))) {
    if (ev.data.trim() === '[DONE]') {
      done = true;
      break;
    }
    let json: unknown;
    try {
      json = JSON.parse(ev.data);
    } catch (err) {
      throw badResponse(provider, 'SSE data is not JSON', err, res.status);
    }
    const parsed = chatChunkSchema.safeParse(json);
    if (!parsed.success) throw badResponse(provider, `unexpected chunk shape: ${parsed.error.message.slice(0, 200)}`, parsed.error);
    const chunk = parsed.data;
    if (chunk.error !== undefined && chunk.error !== null) throw inStreamError(provider, chunk.error);
    for (const choice of chunk.choices ?? []) {
      if (choice.index !== undefined && choice.index !== 0) continue;
      const content = choice.delta?.content;
      if (content) {
        const text = think.push(content);
        if (text) yield { type: 'text', text };
      }
      if (choice.finish_reason) {
        const rest = think.end();
        if (rest) yield { type: 'text', text: rest };
        finished = true;
        yield { type: 'finish', reason: choice.finish_reason };
      }
    }
    if (chunk.usage) {
      yield { type: 'usage', promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
    }
  }
  if (!finished) {
    const rest = think.end();
    if (done) {
      if (rest) yield { type: 'text', text: rest };
      return;
    }
    throw new ProviderError({ provider, code: 'stream_cut', retryable: true, message: `${provider}: stream ended without [DONE]` });
  }
}

function inStreamError(provider: string, error: unknown): ProviderError {
  const message = errorMessageFromBody(JSON.stringify({ error }));
  const rawCode = error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  const status = typeof rawCode === 'number' ? rawCode : undefined;
  // after the first byte the caller has already used the output: never retry automatically
  const code = status !== undefined ? classifyStatus(status).code : 'server_error';
  return new ProviderError({ provider, code, retryable: false, message: `${provider}: error mid-stream: ${message}`, ...(status !== undefined ? { status } : {}) });
}
