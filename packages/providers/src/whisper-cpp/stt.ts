import { z } from 'zod';
import { ProviderError } from '@va/pipeline';
import type { Logger, SttProvider, SttRequest, SttResult } from '@va/pipeline';
import { numberish, optionalString, parseOptions } from '../config.ts';
import type { ParsedProviderConfig, ResolvedTimeouts } from '../config.ts';
import { badResponse, errorMessageFromBody, httpStatusError } from '../http/errors.ts';
import { endpointOf, exchange, healthOf, post, retried } from '../http/exchange.ts';
import { buildMultipart } from '../http/multipart.ts';
import { encodeWav16 } from '../http/wav.ts';

export const whisperCppOptionsSchema = z
  .object({
    inference_path: optionalString.transform((s) => s ?? '/inference'),
    /** ISO code or `auto`; a request's own `language` wins. */
    language: optionalString.transform((s) => s ?? 'en'),
    temperature: numberish.pipe(z.number().min(0).max(1)).default(0),
    retries: numberish.pipe(z.number().int().min(0).max(5)).default(1),
    health_path: optionalString.transform((s) => s ?? '/health'),
    health_timeout_ms: numberish.pipe(z.number().positive()).default(2000),
  })
  .strict();

/** `response_format=json` body: `{"text": " ...\n"}`; old builds may send `{"error": ...}` with 200. */
export const whisperResponseSchema = z.object({ text: z.string().optional(), error: z.unknown().optional() }).loose();

/**
 * whisper.cpp status quirks: 400 is text/plain `Invalid request` (the audio or a field: do not
 * retry); 404 `File Not Found` is also what a 503 during `/load` becomes (retry); a 500 carries the
 * input's processing failure (same audio fails again).
 */
export function whisperStatusError(provider: string, status: number, body: string): ProviderError {
  const msg = errorMessageFromBody(body);
  if (status === 404) {
    return new ProviderError({ provider, code: 'unavailable', retryable: true, status, message: `${provider}: HTTP 404 (${msg}): model reloading or wrong inference_path` });
  }
  if (status === 500) {
    return new ProviderError({ provider, code: 'server_error', retryable: false, status, message: `${provider}: HTTP 500: ${msg}` });
  }
  return httpStatusError(provider, status, body);
}

export function createWhisperCppStt(config: ParsedProviderConfig, timeouts: ResolvedTimeouts, deps: { logger?: Logger | undefined } = {}): SttProvider {
  const ep = endpointOf('stt:whisper-cpp', config, timeouts, deps.logger, true);
  const { provider } = ep;
  const opts = parseOptions(whisperCppOptionsSchema, config.options, provider);

  async function once(req: SttRequest, wav: Uint8Array): Promise<SttResult> {
    const form = buildMultipart(
      { bytes: wav, filename: 'audio.wav', contentType: 'audio/wav' },
      {
        response_format: 'json',
        temperature: opts.temperature,
        language: req.language ?? opts.language,
        no_language_probabilities: 'true',
        prompt: req.prompt,
      },
    );
    const call = post(ep, opts.inference_path, form, {
      signal: req.signal,
      accept: 'application/json',
      auth: false,
      mapStatus: (s, b) => whisperStatusError(provider, s, b),
    });
    return exchange(call, async (res) => {
      const { json, text } = await call.readJson(res);
      const parsed = whisperResponseSchema.safeParse(json);
      if (!parsed.success) throw badResponse(provider, 'unexpected body', parsed.error, res.status);
      if (parsed.data.error !== undefined) {
        // pre-1.8.4 builds: input errors with HTTP 200; the same audio fails again
        throw new ProviderError({ provider, code: 'bad_request', retryable: false, status: res.status, message: `${provider}: ${errorMessageFromBody(text)}` });
      }
      if (parsed.data.text === undefined) throw badResponse(provider, 'no "text" in body', undefined, res.status);
      return { text: parsed.data.text.trim() };
    });
  }

  return {
    role: 'stt',
    type: 'whisper-cpp',
    baseUrl: ep.baseUrl,
    transcribe: (req) => {
      const wav = encodeWav16(req.pcm, 16000);
      return retried(ep, 'transcribe', opts.retries, req.signal, () => once(req, wav));
    },
    health: healthOf(ep, opts.health_path, opts.health_timeout_ms, { auth: false }),
  };
}
