import { z } from 'zod';
import type { Logger, SttProvider, SttRequest, SttResult } from '@va/pipeline';
import { ProviderConfigError, numberish, optionalString, parseOptions } from '../config.ts';
import type { ParsedProviderConfig, ResolvedTimeouts } from '../config.ts';
import { badResponse } from '../http/errors.ts';
import { endpointOf, exchange, healthOf, post, retried } from '../http/exchange.ts';
import { buildMultipart } from '../http/multipart.ts';
import { encodeWav16, int16ToBytes } from '../http/wav.ts';

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
  const ep = endpointOf('stt:openai-stt', config, timeouts, deps.logger);
  const opts = parseOptions(openAiSttOptionsSchema, config.options, ep.provider);
  if (!config.model) throw new ProviderConfigError(`${ep.provider}: "model" is required (the transcription model id)`);
  const model = config.model;

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
    const call = post(ep, opts.path, form, { signal: req.signal, accept: 'application/json' });
    return exchange(call, async (res) => {
      const { json } = await call.readJson(res);
      const parsed = transcriptionResponseSchema.safeParse(json);
      if (!parsed.success) throw badResponse(ep.provider, 'no "text" in body', parsed.error, res.status);
      return { text: parsed.data.text.trim() };
    });
  }

  return {
    role: 'stt',
    type: 'openai-stt',
    baseUrl: ep.baseUrl,
    transcribe: (req) => retried(ep, 'transcribe', opts.retries, req.signal, () => once(req)),
    health: healthOf(ep, opts.health_path, opts.health_timeout_ms),
  };
}
