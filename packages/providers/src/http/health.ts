import type { ProviderHealth } from '@va/pipeline';
import { networkError } from './errors.ts';
import { httpRequest } from './transport.ts';

export interface ProbeOptions {
  url: string;
  timeoutMs: number;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  /** Called on a 404: returns another URL to try (NIM ready path -> plain vLLM `/health`). */
  fallbackOn404?: string | undefined;
  /** A fresh connection per request (servers without TCP_NODELAY). */
  fresh?: boolean | undefined;
}

/** GET a readiness URL: 200 = ok; any other status, refusal or timeout = not ok, with a detail. */
export async function probeHealth(opts: ProbeOptions): Promise<ProviderHealth> {
  const started = performance.now();
  const latencyMs = (): number => Math.round(performance.now() - started);
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  // Same keep-alive pool as the adapters: a probe at start-up (and each /ready) leaves a warm
  // connection, so the first real request does not pay for connecting (TLS to a remote server).
  const get = async (url: string): Promise<{ status: number }> => {
    const res = await httpRequest(url, { method: 'GET', headers: opts.headers ?? {}, fresh: opts.fresh }, signal);
    await res.arrayBuffer().catch(() => undefined);
    return res;
  };
  try {
    let res = await get(opts.url);
    if (res.status === 404 && opts.fallbackOn404) res = await get(opts.fallbackOn404);
    if (res.status === 200) return { ok: true, latencyMs: latencyMs() };
    return { ok: false, detail: `http_${res.status}`, latencyMs: latencyMs() };
  } catch (err) {
    if (opts.signal?.aborted) return { ok: false, detail: 'aborted', latencyMs: latencyMs() };
    if (timeout.aborted) return { ok: false, detail: 'timeout', latencyMs: latencyMs() };
    const e = networkError('health', err, 'connect');
    return { ok: false, detail: e.code === 'connection_refused' ? 'connection_refused' : 'unreachable', latencyMs: latencyMs() };
  }
}

export function bearer(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}
