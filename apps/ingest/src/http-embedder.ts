import type { Embedder, ProviderHealth } from '@va/pipeline';
import { ProviderError } from '@va/pipeline';

/**
 * Minimal OpenAI-compatible `/v1/embeddings` client used by the ingest CLI until the shared
 * provider adapter (packages/providers) replaces it. Kept in this one file on purpose.
 */
export interface HttpEmbedderOptions {
  baseUrl: string;
  model?: string | undefined;
  apiKey?: string | undefined;
  timeoutMs?: number;
}

export interface HttpEmbedder extends Embedder {
  readonly model: string | undefined;
}

export function createHttpEmbedder(opts: HttpEmbedderOptions): HttpEmbedder {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const provider = 'embedding';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.apiKey) headers['authorization'] = `Bearer ${opts.apiKey}`;
  const timeout = (signal?: AbortSignal): AbortSignal => {
    const t = AbortSignal.timeout(opts.timeoutMs ?? 60_000);
    return signal ? AbortSignal.any([signal, t]) : t;
  };
  const fail = (code: 'connection_refused' | 'server_error' | 'bad_response' | 'bad_request', message: string, cause?: unknown, status?: number): never => {
    throw new ProviderError({ provider, code, message, retryable: code !== 'bad_request', cause, ...(status !== undefined ? { status } : {}) });
  };

  return {
    role: 'embedding',
    type: 'openai-compatible',
    baseUrl,
    model: opts.model,
    async embed(texts, signal) {
      if (texts.length === 0) return [];
      let res: Response;
      try {
        res = await fetch(`${baseUrl}/v1/embeddings`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ input: texts, ...(opts.model ? { model: opts.model } : {}), encoding_format: 'float' }),
          signal: timeout(signal),
        });
      } catch (err) {
        return fail('connection_refused', `embedding request to ${baseUrl} failed: ${(err as Error).message}`, err);
      }
      const body = await res.text();
      if (!res.ok) {
        return fail(res.status < 500 ? 'bad_request' : 'server_error', `embedding server answered ${res.status}: ${body.slice(0, 200)}`, undefined, res.status);
      }
      let data: unknown;
      try {
        data = (JSON.parse(body) as { data?: unknown }).data;
      } catch (err) {
        return fail('bad_response', 'embedding response is not JSON', err);
      }
      if (!Array.isArray(data) || data.length !== texts.length) return fail('bad_response', 'embedding response has the wrong number of vectors');
      const out: Float32Array[] = new Array<Float32Array>(texts.length);
      for (const item of data as Array<{ index?: unknown; embedding?: unknown }>) {
        const idx = typeof item.index === 'number' ? item.index : -1;
        if (idx < 0 || idx >= texts.length || !Array.isArray(item.embedding)) return fail('bad_response', 'malformed embedding item');
        out[idx] = Float32Array.from(item.embedding as number[]);
      }
      if (out.some((v) => v === undefined)) return fail('bad_response', 'embedding response is missing an index');
      return out;
    },
    async health(signal): Promise<ProviderHealth> {
      const t0 = performance.now();
      try {
        const res = await fetch(`${baseUrl}/health`, { signal: timeout(signal) });
        await res.arrayBuffer();
        return res.ok ? { ok: true, latencyMs: performance.now() - t0 } : { ok: false, detail: `http_${res.status}`, latencyMs: performance.now() - t0 };
      } catch {
        return { ok: false, detail: 'connection_refused', latencyMs: performance.now() - t0 };
      }
    },
  };
}
