import { z } from 'zod';
import { joinUrl } from '../config.ts';
import { HttpCall } from '../http/call.ts';
import { badResponse } from '../http/errors.ts';
import { bearer } from '../http/health.ts';

const modelsSchema = z.object({ data: z.array(z.object({ id: z.string().min(1), max_model_len: z.number().int().positive().optional() }).loose()).min(1) }).loose();

/** `model` empty or `auto` means: ask the server (`GET /v1/models`, first entry). */
export function wantsDiscovery(model: string | undefined): boolean {
  return model === undefined || model === '' || model === 'auto';
}

/**
 * Resolves the model id once and caches it; a failed discovery is not cached, so the next request
 * tries again (the server may still have been loading).
 */
export class ModelResolver {
  #cached: Promise<string> | undefined;
  /** vLLM/NIM list the context length with the model: known once a discovery has run. */
  maxModelLen: number | undefined;
  constructor(
    private readonly opts: { provider: string; baseUrl: string; model: string | undefined; apiKey: string | undefined; timeoutMs: number },
  ) {}

  resolve(signal?: AbortSignal): Promise<string> {
    const { model } = this.opts;
    if (!wantsDiscovery(model)) return Promise.resolve(model as string);
    if (!this.#cached) {
      const p = this.#discover(signal);
      this.#cached = p;
      p.catch(() => {
        if (this.#cached === p) this.#cached = undefined;
      });
    }
    return this.#cached;
  }

  async #discover(signal?: AbortSignal): Promise<string> {
    const { provider, baseUrl, apiKey, timeoutMs } = this.opts;
    const call = new HttpCall({
      provider,
      url: joinUrl(baseUrl, '/v1/models'),
      init: { method: 'GET', headers: { accept: 'application/json', ...bearer(apiKey) } },
      timeouts: { firstByteMs: timeoutMs, totalMs: timeoutMs },
      signal,
    });
    try {
      const res = await call.send();
      const { json } = await call.readJson(res, 'GET /v1/models: body');
      const parsed = modelsSchema.safeParse(json);
      if (!parsed.success) throw badResponse(provider, 'GET /v1/models: no model listed', parsed.error);
      this.maxModelLen = parsed.data.data[0]!.max_model_len;
      return parsed.data.data[0]!.id;
    } finally {
      call.close();
    }
  }
}
