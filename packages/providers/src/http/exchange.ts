import { ProviderError } from '@va/pipeline';
import type { Logger, ProviderHealth } from '@va/pipeline';
import { joinUrl } from '../config.ts';
import type { ParsedProviderConfig, ResolvedTimeouts } from '../config.ts';
import { withRetry } from '../wrappers/with-retry.ts';
import { HttpCall, failureOf, logFailure } from './call.ts';
import { badResponse } from './errors.ts';
import { bearer, probeHealth } from './health.ts';
import type { MultipartBody } from './multipart.ts';
import type { HttpResponse } from './transport.ts';

/**
 * What every adapter knows about its server, and the request/response/error shape they all share:
 * one POST builder, one one-shot exchange, one streaming exchange, one retried call, one health probe.
 */
export interface Endpoint {
  provider: string;
  baseUrl: string;
  apiKey: string | undefined;
  timeouts: ResolvedTimeouts;
  logger: Logger | undefined;
  /** The server writes without TCP_NODELAY: each request on a fresh connection (see config `nagle`). */
  fresh: boolean;
  /** True when `nagle` was configured (then detection does not override it). */
  freshConfigured: boolean;
}

export function endpointOf(provider: string, config: ParsedProviderConfig, timeouts: ResolvedTimeouts, logger: Logger | undefined, nagleByDefault = false): Endpoint {
  return {
    provider,
    baseUrl: config.base_url,
    apiKey: config.api_key,
    timeouts,
    logger: logger?.child({ provider }),
    fresh: config.nagle ?? nagleByDefault,
    freshConfigured: config.nagle !== undefined,
  };
}

export interface PostOptions {
  signal: AbortSignal | undefined;
  accept?: string;
  /** Send the bearer key (default true; whisper.cpp has none). */
  auth?: boolean;
  keepFirstByteTimer?: boolean;
  mapStatus?: (status: number, body: string, contentType: string) => ProviderError;
}

/** A POST of a JSON value or a multipart form to `path` on the endpoint. */
export function post(ep: Endpoint, path: string, body: { json: unknown } | MultipartBody, o: PostOptions): HttpCall {
  const isJson = 'json' in body;
  return new HttpCall({
    provider: ep.provider,
    url: joinUrl(ep.baseUrl, path),
    init: {
      method: 'POST',
      headers: {
        'content-type': isJson ? 'application/json' : body.contentType,
        ...(o.accept ? { accept: o.accept } : {}),
        ...(o.auth === false ? {} : bearer(ep.apiKey)),
      },
      body: isJson ? JSON.stringify(body.json) : body.body,
      fresh: ep.fresh,
    },
    timeouts: ep.timeouts,
    signal: o.signal,
    keepFirstByteTimer: o.keepFirstByteTimer,
    mapStatus: o.mapStatus,
  });
}

/** Sends a one-shot call, reads its 2xx response with `read`, and always closes it. */
export async function exchange<T>(call: HttpCall, read: (res: HttpResponse) => Promise<T>): Promise<T> {
  try {
    return await read(await call.send());
  } finally {
    call.close();
  }
}

/** An idempotent one-shot call retried on retryable errors; the failure is logged once. */
export async function retried<T>(ep: Endpoint, what: string, retries: number, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await withRetry(fn, { retries, signal });
  } catch (err) {
    throw failureOf(err, { provider: ep.provider, signal, logger: ep.logger, what });
  }
}

/**
 * A streaming exchange: `open` builds the call (it may first resolve a model), `consume` turns
 * the response into items. Any failure becomes a ProviderError, is logged once, and the call is
 * always closed (which drops the connection when the consumer stopped early).
 */
export async function* streamExchange<T>(
  ep: Endpoint,
  what: string,
  open: () => HttpCall | Promise<HttpCall>,
  consume: (call: HttpCall, res: HttpResponse) => AsyncIterable<T>,
): AsyncGenerator<T> {
  let call: HttpCall | undefined;
  try {
    call = await open();
    yield* consume(call, await call.send());
  } catch (err) {
    const e = err instanceof ProviderError ? err : (call?.toError(err, 'body') ?? badResponse(ep.provider, String(err), err));
    logFailure(ep.logger, e, what);
    throw e;
  } finally {
    call?.close();
  }
}

/** The adapter's `health(signal)`: GET `path` (with the bearer key unless `auth` is false). */
export function healthOf(ep: Endpoint, path: string, timeoutMs: number, o: { auth?: boolean; fallbackOn404?: string } = {}): (signal?: AbortSignal) => Promise<ProviderHealth> {
  return (signal) =>
    probeHealth({
      url: joinUrl(ep.baseUrl, path),
      fallbackOn404: o.fallbackOn404 === undefined ? undefined : joinUrl(ep.baseUrl, o.fallbackOn404),
      timeoutMs,
      headers: o.auth === false ? {} : bearer(ep.apiKey),
      signal,
      fresh: ep.fresh,
    });
}
