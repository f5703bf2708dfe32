import { ProviderError } from '@va/pipeline';
import type { Logger } from '@va/pipeline';
import { abortedError, badResponse, httpStatusError, networkError, timeoutError } from './errors.ts';
import { httpRequest, type HttpRequestInit, type HttpResponse } from './transport.ts';

export interface CallTimeouts {
  /** Opening a new connection (default: no separate limit; the first-byte timer still runs). */
  connectMs?: number;
  /** Until response headers (or, after `keepFirstByteTimer`, until `firstByte()` is called). */
  firstByteMs: number;
  totalMs: number;
}

export interface CallOptions {
  provider: string;
  url: string;
  init: HttpRequestInit;
  timeouts: CallTimeouts;
  /** The caller's signal (turn abort, barge-in). */
  signal?: AbortSignal | undefined;
  /** Keep the first-byte timer running after headers, until `firstByte()` (TTS: first audio byte). */
  keepFirstByteTimer?: boolean;
  /** Turn a non-2xx response into an error; the default uses `httpStatusError`. */
  mapStatus?: (status: number, body: string, contentType: string) => ProviderError;
  logger?: Logger | undefined;
}

class TimeoutReason extends Error {
  constructor(
    readonly which: string,
    readonly ms: number,
  ) {
    super(`${which} timeout`);
  }
}

/**
 * One HTTP exchange with a model server: timers, caller abort, and error mapping in one place.
 * Always call `close()` (in `finally`): it clears the timers and aborts the request if the body was
 * not read to the end, which releases the socket.
 */
export class HttpCall {
  readonly #opts: CallOptions;
  readonly #ctl = new AbortController();
  readonly signal: AbortSignal;
  #firstByteTimer: NodeJS.Timeout | undefined;
  #totalTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(opts: CallOptions) {
    this.#opts = opts;
    this.signal = opts.signal ? AbortSignal.any([opts.signal, this.#ctl.signal]) : this.#ctl.signal;
    const { firstByteMs, totalMs } = opts.timeouts;
    this.#totalTimer = setTimeout(() => this.#ctl.abort(new TimeoutReason('total', totalMs)), totalMs);
    this.#firstByteTimer = setTimeout(() => this.#ctl.abort(new TimeoutReason('first byte', firstByteMs)), firstByteMs);
  }

  /** Sends the request; resolves with a 2xx response or rejects with a ProviderError. */
  async send(): Promise<HttpResponse> {
    const o = this.#opts;
    if (o.signal?.aborted) throw abortedError(o.provider, o.signal.reason);
    let res: HttpResponse;
    try {
      res = await httpRequest(o.url, { ...o.init, connectTimeoutMs: o.timeouts.connectMs }, this.signal);
    } catch (err) {
      throw this.toError(err, 'connect');
    }
    if (!o.keepFirstByteTimer) this.firstByte();
    if (!res.ok) {
      const body = await this.readText(res);
      const ct = res.headers.get('content-type') ?? '';
      throw (o.mapStatus ?? ((s, b) => httpStatusError(o.provider, s, b)))(res.status, body, ct);
    }
    return res;
  }

  /** Reads the whole body as text, mapping failures. */
  async readText(res: HttpResponse): Promise<string> {
    try {
      return await res.text();
    } catch (err) {
      throw this.toError(err, 'body');
    }
  }

  /** Reads the whole body and parses it as JSON; a body that is not JSON is a bad_response ("<label> is not JSON"). */
  async readJson(res: HttpResponse, label = 'body'): Promise<{ json: unknown; text: string }> {
    const text = await this.readText(res);
    try {
      return { json: JSON.parse(text) as unknown, text };
    } catch (err) {
      throw badResponse(this.#opts.provider, `${label} is not JSON`, err, res.status);
    }
  }

  async readBytes(res: HttpResponse): Promise<Uint8Array> {
    try {
      return new Uint8Array(await res.arrayBuffer());
    } catch (err) {
      throw this.toError(err, 'body');
    }
  }

  /** Stops the first-byte timer (the total timer keeps running). */
  firstByte(): void {
    clearTimeout(this.#firstByteTimer);
    this.#firstByteTimer = undefined;
  }

  /** Maps any failure during this call to a ProviderError (caller abort and timeouts first). */
  toError(err: unknown, phase: 'connect' | 'body'): ProviderError {
    const o = this.#opts;
    if (o.signal?.aborted) return abortedError(o.provider, o.signal.reason);
    const reason: unknown = this.#ctl.signal.reason;
    if (this.#ctl.signal.aborted && reason instanceof TimeoutReason) {
      return timeoutError(o.provider, reason.which, reason.ms);
    }
    if ((err as { code?: unknown } | null)?.code === 'ECONNECT_TIMEOUT' && o.timeouts.connectMs !== undefined) {
      return timeoutError(o.provider, 'connect', o.timeouts.connectMs);
    }
    return networkError(o.provider, err, phase);
  }

  /** Clears timers and aborts whatever is still in flight. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#firstByteTimer);
    clearTimeout(this.#totalTimer);
    if (!this.#ctl.signal.aborted) this.#ctl.abort(new Error('call closed'));
  }
}

/**
 * The error a failed call throws, logged once: when the caller aborted (even during a retry
 * back-off) it surfaces as the abort, not as the earlier failure.
 */
export function failureOf(err: unknown, o: { provider: string; signal: AbortSignal | undefined; logger: Logger | undefined; what: string }): unknown {
  const e = o.signal?.aborted ? abortedError(o.provider, o.signal.reason) : err;
  logFailure(o.logger, e, o.what);
  return e;
}

/** Logs a failed call: aborts are expected (barge-in) and only go to debug. */
export function logFailure(logger: Logger | undefined, err: unknown, what: string): void {
  if (!logger) return;
  if (err instanceof ProviderError) {
    const fields = { provider: err.provider, code: err.code, status: err.status, retryable: err.retryable };
    if (err.code === 'aborted') logger.debug(fields, `${what} aborted`);
    else logger.warn(fields, `${what} failed`);
  } else {
    logger.error({ err: String(err) }, `${what} failed`);
  }
}

/** Iterates a response body, mapping read failures; stops reading when the consumer stops. */
export async function* readBody(call: HttpCall, res: HttpResponse): AsyncGenerator<Uint8Array> {
  const it = res.body[Symbol.asyncIterator]();
  try {
    for (;;) {
      let r: IteratorResult<Uint8Array>;
      try {
        r = await it.next();
      } catch (err) {
        throw call.toError(err, 'body');
      }
      // a body already buffered in full is not cut by an abort: stop at the abort all the same
      if (call.signal.aborted) throw call.toError(call.signal.reason, 'body');
      if (r.done) return;
      if (r.value.byteLength > 0) yield r.value;
    }
  } finally {
    // consumer broke out early or an error happened: drop the connection rather than drain it
    res.cancel();
  }
}
