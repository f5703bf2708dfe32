import { z } from 'zod';
import type { Logger, TtsChunk, TtsProvider, TtsRequest } from '@va/pipeline';
import { boolish, numberish, optionalString, parseOptions } from '../config.ts';
import type { ParsedProviderConfig, ResolvedTimeouts } from '../config.ts';
import type { HttpCall } from '../http/call.ts';
import { badResponse } from '../http/errors.ts';
import { endpointOf, healthOf, post, streamExchange } from '../http/exchange.ts';
import { streamPcm } from '../http/pcm-stream.ts';
import type { HttpResponse } from '../http/transport.ts';
import { decodeWav16 } from '../http/wav.ts';

const unit = numberish.pipe(z.number().min(0.1).max(1));
export const fishSpeechOptionsSchema = z
  .object({
    /** A saved voice under references/; S2 accepts only these characters (S1 any), so we do too. */
    reference_id: optionalString.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_ -]+$/, 'voice ids may hold only A-Z, a-z, 0-9, "_", " " and "-" (the server rejects others)')
        .optional(),
    ),
    /** Streamed bytes are headerless PCM at the codec's rate (44100 for S1). */
    sample_rate: numberish.pipe(z.number().int().min(8000).max(96000)).default(44100),
    streaming: boolish.default(true),
    temperature: unit.optional(),
    top_p: unit.optional(),
    /** The server's schema allows 2.0 but its generator asserts < 2: a 200 then a cut stream. */
    repetition_penalty: numberish.pipe(z.number().min(0.9).lt(2)).optional(),
    chunk_length: numberish.pipe(z.number().int().positive()).optional(),
    max_new_tokens: numberish.pipe(z.number().int().positive()).optional(),
    seed: numberish.pipe(z.number().int()).optional(),
    /** A stream shorter than this much audio is a failure (200 then "No audio generated"). */
    min_audio_ms: numberish.pipe(z.number().min(0)).default(20),
    /** Health can hang while a synthesis runs (one worker): probe with a generous timeout. */
    health_timeout_ms: numberish.pipe(z.number().positive()).default(30_000),
  })
  .strict();
export type FishSpeechOptions = z.output<typeof fishSpeechOptionsSchema>;

/** The `ServeTTSRequest` fields we send (unknown fields are ignored by the server). */
export const fishTtsRequestSchema = z.object({
  text: z.string().min(1),
  format: z.literal('wav'),
  streaming: z.boolean(),
  reference_id: z.string().optional(),
  use_memory_cache: z.enum(['on', 'off']),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  repetition_penalty: z.number().optional(),
  chunk_length: z.number().optional(),
  max_new_tokens: z.number().optional(),
  seed: z.number().optional(),
});

export function createFishSpeechTts(config: ParsedProviderConfig, timeouts: ResolvedTimeouts, deps: { logger?: Logger | undefined } = {}): TtsProvider {
  const ep = endpointOf('tts:fish-speech', config, timeouts, deps.logger);
  const { provider } = ep;
  const opts = parseOptions(fishSpeechOptionsSchema, config.options, provider);
  const minBytes = Math.ceil((opts.min_audio_ms / 1000) * opts.sample_rate) * 2;

  const body = (text: string): z.infer<typeof fishTtsRequestSchema> => {
    const b: z.infer<typeof fishTtsRequestSchema> = {
      text,
      format: 'wav',
      streaming: opts.streaming,
      use_memory_cache: opts.reference_id ? 'on' : 'off',
    };
    if (opts.reference_id) b.reference_id = opts.reference_id;
    for (const k of ['temperature', 'top_p', 'repetition_penalty', 'chunk_length', 'max_new_tokens', 'seed'] as const) {
      const v = opts[k];
      if (v !== undefined) b[k] = v;
    }
    return fishTtsRequestSchema.parse(b);
  };

  /** The non-streaming body is a real RIFF file. */
  async function* wholeWav(call: HttpCall, res: HttpResponse): AsyncGenerator<TtsChunk> {
    const bytes = await call.readBytes(res);
    call.firstByte();
    let wav;
    try {
      wav = decodeWav16(bytes);
    } catch (err) {
      throw badResponse(provider, `non-streaming body is not a 16-bit WAV: ${String(err)}`, err, res.status);
    }
    if (wav.pcm.length * 2 < Math.max(minBytes, 2)) throw badResponse(provider, 'WAV holds no audio', undefined, res.status);
    yield { sampleRate: wav.sampleRate, pcm: wav.pcm };
  }

  async function* synthesize(req: TtsRequest): AsyncGenerator<TtsChunk> {
    if (req.text.trim() === '') return;
    yield* streamExchange(
      ep,
      'synthesize',
      () => post(ep, '/v1/tts', { json: body(req.text) }, { signal: req.signal, accept: 'audio/wav', keepFirstByteTimer: true }),
      // despite Content-Type audio/wav the streamed body has no RIFF header: raw s16le mono
      (call, res) => (opts.streaming ? streamPcm(provider, call, res, opts.sample_rate, Math.max(minBytes, 2)) : wholeWav(call, res)),
    );
  }

  return {
    role: 'tts',
    type: 'fish-speech',
    baseUrl: ep.baseUrl,
    synthesize,
    health: healthOf(ep, '/v1/health', opts.health_timeout_ms),
  };
}
