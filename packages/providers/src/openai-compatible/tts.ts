import { z } from 'zod';
import type { Logger, TtsChunk, TtsProvider, TtsRequest } from '@va/pipeline';
import { boolish, numberish, optionalString, parseOptions } from '../config.ts';
import type { ParsedProviderConfig, ResolvedTimeouts } from '../config.ts';
import { endpointOf, healthOf, post, streamExchange } from '../http/exchange.ts';
import { streamPcm } from '../http/pcm-stream.ts';

export const openAiTtsOptionsSchema = z
  .object({
    voice: optionalString.transform((s) => s ?? 'af_heart'),
    speed: numberish.pipe(z.number().min(0.25).max(4)).default(1),
    /** The rate of the server's `pcm` output: 24000 for OpenAI/Kokoro, the voice's rate for speaches. */
    sample_rate: numberish.pipe(z.number().int().min(8000).max(96000)).default(24000),
    /** Also send `sample_rate` in the request (speaches resamples to it; others ignore it). */
    request_sample_rate: boolish.default(false),
    path: optionalString.transform((s) => s ?? '/v1/audio/speech'),
    min_audio_ms: numberish.pipe(z.number().min(0)).default(20),
    health_path: optionalString.transform((s) => s ?? '/health'),
    health_timeout_ms: numberish.pipe(z.number().positive()).default(3000),
  })
  .strict();

export const speechRequestSchema = z.object({
  model: z.string().min(1),
  input: z.string().min(1).max(4096),
  voice: z.string().min(1),
  response_format: z.literal('pcm'),
  speed: z.number(),
  sample_rate: z.number().optional(),
});

export function createOpenAiTts(config: ParsedProviderConfig, timeouts: ResolvedTimeouts, deps: { logger?: Logger | undefined } = {}): TtsProvider {
  const ep = endpointOf('tts:openai-tts', config, timeouts, deps.logger);
  const opts = parseOptions(openAiTtsOptionsSchema, config.options, ep.provider);
  const model = config.model && config.model !== 'auto' ? config.model : 'tts-1';
  const minBytes = Math.max(2, Math.ceil((opts.min_audio_ms / 1000) * opts.sample_rate) * 2);

  async function* synthesize(req: TtsRequest): AsyncGenerator<TtsChunk> {
    if (req.text.trim() === '') return;
    const body = speechRequestSchema.parse({
      model,
      input: req.text,
      voice: opts.voice,
      response_format: 'pcm',
      speed: opts.speed,
      ...(opts.request_sample_rate ? { sample_rate: opts.sample_rate } : {}),
    });
    yield* streamExchange(
      ep,
      'synthesize',
      () => post(ep, opts.path, { json: body }, { signal: req.signal, keepFirstByteTimer: true }),
      (call, res) => streamPcm(ep.provider, call, res, opts.sample_rate, minBytes),
    );
  }

  return {
    role: 'tts',
    type: 'openai-tts',
    baseUrl: ep.baseUrl,
    synthesize,
    health: healthOf(ep, opts.health_path, opts.health_timeout_ms),
  };
}
