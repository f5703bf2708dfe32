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

/** What the model spent on thinking during one stream (0/0 when it did not think). */
export interface ThinkCount {
  /** Think blocks in `content`, plus one when `reasoning`/`reasoning_content` deltas came. */
  blocks: number;
  /** Non-blank characters of thought (content think blocks and reasoning deltas). */
  chars: number;
}

/**
 * Turns an OpenAI-style SSE chat stream into LlmChunks: content deltas (think blocks stripped,
 * `reasoning`/`reasoning_content` counted and dropped), `finish`, `usage` (also from the
 * `choices: []` chunk). A failed stream throws a ProviderError: an in-stream error in either
 * framing (`data: {"error":...}`, or llama-server's `error: {...}` field line followed by
 * `data: [DONE]`), a `[DONE]` that follows no `finish_reason`, or an end without `[DONE]`.
 * `onThink` is called once at the end of a stream in which the model thought.
 */
export async function* parseChatStream(
  provider: string,
  call: HttpCall,
  res: HttpResponse,
  onThink?: (count: ThinkCount) => void,
): AsyncGenerator<LlmChunk> {
  const think = new ThinkStripper();
  const reasoning = { deltas: 0, chars: 0 };
  let finished = false;
  let done = false;
  try {
    for await (const ev of sseEvents(readBody(call, res))) {
      // several events can arrive in one read: an abort must stop between them
      if (call.signal.aborted) throw call.toError(call.signal.reason, 'body');
      if (ev.error !== undefined) throw inStreamError(provider, parseErrorField(ev.error));
      if (ev.data.trim() === '[DONE]') {
        done = true;
        break;
      }
      const chunk = parseChunk(provider, ev.data, res.status);
      if (chunk.error !== undefined && chunk.error !== null) throw inStreamError(provider, chunk.error);
      for (const choice of chunk.choices ?? []) {
        if (choice.index !== undefined && choice.index !== 0) continue;
        const thought = (choice.delta?.reasoning ?? '') + (choice.delta?.reasoning_content ?? '');
        if (thought) {
          reasoning.deltas++;
          reasoning.chars += thought.replace(/\s+/g, '').length;
        }
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
  } finally {
    const count = { blocks: think.blocks + (reasoning.deltas > 0 ? 1 : 0), chars: think.thoughtChars + reasoning.chars };
    if (count.blocks > 0 && count.chars > 0) onThink?.(count);
  }
  if (!finished) {
    const why = done ? '[DONE] without a finish_reason' : 'stream ended without [DONE]';
    throw new ProviderError({ provider, code: 'stream_cut', retryable: !done, message: `${provider}: ${why} (answer cut)` });
  }
}

function parseChunk(provider: string, data: string, status: number): z.output<typeof chatChunkSchema> {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (err) {
    throw badResponse(provider, 'SSE data is not JSON', err, status);
  }
  const parsed = chatChunkSchema.safeParse(json);
  if (!parsed.success) throw badResponse(provider, `unexpected chunk shape: ${parsed.error.message.slice(0, 200)}`, parsed.error);
  return parsed.data;
}

/** The value of an `error:` field line: JSON `{code, message, type}` when it parses, else the text. */
function parseErrorField(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return { message: value };
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
