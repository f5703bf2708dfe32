import { z } from 'zod';
import type { Embedder, Logger } from '@va/pipeline';
import { boolish, numberish, optionalString, parseOptions } from '../config.ts';
import type { ParsedProviderConfig, ResolvedTimeouts } from '../config.ts';
import { failureOf } from '../http/call.ts';
import { badResponse } from '../http/errors.ts';
import { endpointOf, exchange, healthOf, post } from '../http/exchange.ts';
import { withRetry } from '../wrappers/with-retry.ts';
import { ModelResolver, wantsDiscovery } from './models.ts';

export const openAiEmbeddingsOptionsSchema = z
  .object({
    batch_size: numberish.pipe(z.number().int().positive()).default(32),
    encoding_format: z.enum(['float', 'base64']).default('float'),
    normalize: boolish.default(true),
    /** Send `model` even when none is configured, discovering it from `/v1/models` (vLLM needs it). */
    discover_model: boolish.default(false),
    retries: numberish.pipe(z.number().int().min(0).max(5)).default(2),
    health_path: optionalString.transform((s) => s ?? '/health'),
    health_timeout_ms: numberish.pipe(z.number().positive()).default(3000),
  })
  .strict();

/** `/v1/embeddings` response (OpenAI, llama.cpp, vLLM): vectors as float arrays or base64 float32 LE. */
export const embeddingsResponseSchema = z
  .object({
    data: z.array(z.object({ index: z.number().int().min(0), embedding: z.union([z.array(z.number()), z.string()]) }).loose()),
  })
  .loose();

export function decodeBase64Floats(b64: string): Float32Array {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.byteLength % 4 !== 0) throw new Error(`base64 embedding has ${bytes.byteLength} bytes, not a multiple of 4`);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

export function l2normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}

export function createOpenAiEmbedder(config: ParsedProviderConfig, timeouts: ResolvedTimeouts, deps: { logger?: Logger | undefined } = {}): Embedder {
  const ep = endpointOf('embedding:openai-embeddings', config, timeouts, deps.logger, true);
  const { provider, baseUrl, logger } = ep;
  const opts = parseOptions(openAiEmbeddingsOptionsSchema, config.options, provider);
  const models = new ModelResolver({ provider, baseUrl, model: config.model, apiKey: config.api_key, timeoutMs: timeouts.firstByteMs });
  const sendModel = !wantsDiscovery(config.model) || opts.discover_model;

  async function embedBatch(texts: string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const model = sendModel ? await models.resolve(signal) : undefined;
    const body = { input: texts, encoding_format: opts.encoding_format, ...(model !== undefined ? { model } : {}) };
    const call = post(ep, '/v1/embeddings', { json: body }, { signal, accept: 'application/json' });
    return exchange(call, async (res) => {
      const { json } = await call.readJson(res);
      const parsed = embeddingsResponseSchema.safeParse(json);
      if (!parsed.success) throw badResponse(provider, `unexpected body: ${parsed.error.message.slice(0, 200)}`, parsed.error);
      const out: Array<Float32Array | undefined> = new Array<Float32Array | undefined>(texts.length);
      for (const item of parsed.data.data) {
        if (item.index >= texts.length || out[item.index]) throw badResponse(provider, `bad or duplicate index ${item.index}`);
        out[item.index] = typeof item.embedding === 'string' ? decodeBase64Floats(item.embedding) : Float32Array.from(item.embedding);
      }
      return out.map((v, i) => {
        if (!v) throw badResponse(provider, `no embedding for input ${i} (got ${parsed.data.data.length} of ${texts.length})`);
        return v;
      });
    });
  }

  async function embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    try {
      const vectors: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += opts.batch_size) {
        const batch = texts.slice(i, i + opts.batch_size);
        vectors.push(...(await withRetry(() => embedBatch(batch, signal), { retries: opts.retries, signal })));
      }
      const width = vectors[0]!.length;
      if (width === 0) throw badResponse(provider, 'empty embedding vector');
      for (const v of vectors) {
        if (v.length !== width) throw badResponse(provider, `embedding widths differ (${width} vs ${v.length})`);
        if (opts.normalize) l2normalize(v);
      }
      return vectors;
    } catch (err) {
      throw failureOf(err, { provider, signal, logger, what: 'embed' });
    }
  }

  return {
    role: 'embedding',
    type: 'openai-embeddings',
    baseUrl,
    embed,
    health: healthOf(ep, opts.health_path, opts.health_timeout_ms),
  };
}
