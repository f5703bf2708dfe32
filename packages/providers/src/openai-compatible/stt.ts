import { z } from 'zod';
import type { Logger, ProviderHealth, SttProvider, SttRequest, SttResult } from '@va/pipeline';
import { ProviderConfigError, joinUrl, numberish, optionalString, parseOptions } from '../config.ts';
import type { ParsedProviderConfig, ResolvedTimeouts } from '../config.ts';
import { HttpCall, failureOf } from '../http/call.ts';
import { badResponse } from '../http/errors.ts';
import { bearer, probeHealth } from '../http/health.ts';
import { buildMultipart } from '../http/multipart.ts';
import { encodeWav16, int16ToBytes } from '../http/wav.ts';
import { withRetry } from '../wrappers/with-retry.ts';

export const openAiSttOptionsSchema = z
  .object({
    /** `pcm`: raw s16le 16 kHz with part Content-Type `audio/pcm` (speaches); `wav` works everywhere. */
    upload_format: z.enum(['wav', 'pcm']).default('wav'),
    language: optionalString.transform((s) => s ?? 'en'),
    temperature: numberish.pipe(z.number().min(0).max(1)).optional(),
    path: optionalString.transform((s) => s ?? '/v1/audio/transcriptions'),
    retries: numberish.pipe(z.number().int().min(0).max(5)).default(1),
    health_path: optionalString.transform((s) => s ?? '/health'),
    health_timeout_ms: numberish.pipe(z.number().positive()).default(2000),
  })
  .strict();

export const transcriptionResponseSchema = z.object({ text: z.string() }).loose();

export function createOpenAiStt(config: ParsedProviderConfig, timeouts: ResolvedTimeouts, deps: { logger?: Logger | undefined } = {}): SttProvider {
  const provider = 'stt:openai-stt';
  const opts = parseOptions(openAiSttOptionsSchema, config.options, provider);
  if (!config.model) throw new ProviderConfigError(`${provider}: "model" is required (the transcription model id)`);
  const model = config.model;
  const baseUrl = config.base_url;
  const logger = deps.logger?.child({ provider });

  async function once(req: SttRequest): Promise<SttResult> {
    const file =
      opts.upload_format === 'pcm'
        ? { bytes: int16ToBytes(req.pcm), filename: 'audio.pcm', contentType: 'audio/pcm' }
        : { bytes: encodeWav16(req.pcm, 16000), filename: 'audio.wav', contentType: 'audio/wav' };
    const lang = req.language ?? opts.language;
    const form = buildMultipart(file, {
      model,
      response_format: 'json',
      // OpenAI has no `auto`: detection is the absence of `language`
      language: lang === 'auto' ? undefined : lang,
      temperature: opts.temperature,
      prompt: req.prompt,
    });
    const call = new HttpCall({
      provider,
      url: joinUrl(baseUrl, opts.path),
      init: { method: 'POST', body: form.body, headers: { 'content-type': form.contentType, accept: 'application/json', ...bearer(config.api_key) } },
      timeouts,
      signal: req.signal,
    });
    try {
      const res = await call.send();
      const { json } = await call.readJson(res);
      const parsed = transcriptionResponseSchema.safeParse(json);
      if (!parsed.success) throw badResponse(provider, 'no "text" in body', parsed.error, res.status);
      return { text: parsed.data.text.trim() };
    } finally {
      call.close();
    }
  }

  async function transcribe(req: SttRequest): Promise<SttResult> {
    try {
      return await withRetry(() => once(req), { retries: opts.retries, signal: req.signal });
    } catch (err) {
      throw failureOf(err, { provider, signal: req.signal, logger, what: 'transcribe' });
    }
  }

  return {
    role: 'stt',
    type: 'openai-stt',
    baseUrl,
    transcribe,
    health: (signal?: AbortSignal): Promise<ProviderHealth> =>
      probeHealth({ url: joinUrl(baseUrl, opts.health_path), timeoutMs: opts.health_timeout_ms, headers: bearer(config.api_key), signal }),
  };
}
