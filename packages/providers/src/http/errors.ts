import { ProviderError } from '@va/pipeline';
import type { ProviderErrorCode } from '@va/pipeline';

/** Default status -> (code, retryable) mapping shared by every adapter. */
export function classifyStatus(status: number): { code: ProviderErrorCode; retryable: boolean } {
  if (status === 401 || status === 403) return { code: 'unauthorized', retryable: false };
  if (status === 429) return { code: 'rate_limited', retryable: true };
  if (status === 408) return { code: 'timeout', retryable: true };
  if (status === 502 || status === 503 || status === 504) return { code: 'unavailable', retryable: true };
  if (status >= 400 && status < 500) return { code: 'bad_request', retryable: false };
  if (status >= 500) return { code: 'server_error', retryable: true };
  return { code: 'bad_response', retryable: false };
}

/**
 * Pulls a human message out of the error bodies our servers send: OpenAI / llama.cpp / vLLM
 * `{"error":{"message"}}`, vLLM `{"object":"error","message"}`, Fish `{"statusCode","message","error"}`,
 * FastAPI/pydantic 422 arrays or `{"detail":[...]}`, or plain text.
 */
export function errorMessageFromBody(body: string): string {
  const text = body.trim();
  if (text === '') return '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text.slice(0, 300);
  }
  return messageFromJson(parsed) ?? text.slice(0, 300);
}

function messageFromJson(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    const msgs = v.map((item) => {
      if (item && typeof item === 'object') {
        const o = item as Record<string, unknown>;
        const loc = Array.isArray(o.loc) ? o.loc.map(String).join('.') : undefined;
        const msg = typeof o.msg === 'string' ? o.msg : JSON.stringify(item);
        return loc ? `${loc}: ${msg}` : msg;
      }
      return String(item);
    });
    return msgs.join('; ').slice(0, 300);
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.error !== undefined && typeof o.error === 'object') return messageFromJson(o.error);
    if (typeof o.message === 'string') return o.message;
    if (o.detail !== undefined) return messageFromJson(o.detail);
    if (typeof o.error === 'string') return o.error;
    if (typeof o.status === 'string') return o.status;
  }
  return undefined;
}

/**
 * Client errors that llama-server (cpp-httplib) answers with HTTP 500: invalid JSON and a missing
 * `messages` (`[json.exception...`), an embedding input over the batch, a prompt over the context.
 * The same request fails again, so they are `bad_request`, never retried.
 */
const CLIENT_ERROR_MESSAGES = [
  /\[json\.exception/i,
  /input is too large to process/i,
  /exceeds the available context size/i,
  /'messages' (is )?required|missing (required )?(field|'?messages'?)/i,
];

export function isClientErrorMessage(message: string): boolean {
  return CLIENT_ERROR_MESSAGES.some((re) => re.test(message));
}

/** A ProviderError for a non-2xx response, using the default status mapping (and llama.cpp's 500s). */
export function httpStatusError(provider: string, status: number, body: string): ProviderError {
  const msg = errorMessageFromBody(body);
  const { code, retryable } = status >= 500 && isClientErrorMessage(msg) ? { code: 'bad_request' as const, retryable: false } : classifyStatus(status);
  return new ProviderError({
    provider,
    code,
    retryable,
    status,
    message: `${provider}: HTTP ${status}${msg ? `: ${msg}` : ''}`,
  });
}

export function badResponse(provider: string, message: string, cause?: unknown, status?: number): ProviderError {
  return new ProviderError({
    provider,
    code: 'bad_response',
    retryable: false,
    message: `${provider}: ${message}`,
    cause,
    ...(status !== undefined ? { status } : {}),
  });
}

/** Why a fetch or a body read failed, from the error's cause chain. */
function errnoCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Maps a network-level failure (fetch rejected, body read failed) to a ProviderError.
 * `phase` says whether response headers had arrived: a failure after them is a cut stream.
 */
export function networkError(provider: string, err: unknown, phase: 'connect' | 'body'): ProviderError {
  if (err instanceof ProviderError) return err;
  const code = errnoCode(err);
  if (code === 'ECONNREFUSED') {
    return new ProviderError({ provider, code: 'connection_refused', retryable: true, message: `${provider}: connection refused`, cause: err });
  }
  if (phase === 'body') {
    return new ProviderError({ provider, code: 'stream_cut', retryable: true, message: `${provider}: response cut (${code ?? 'terminated'})`, cause: err });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new ProviderError({ provider, code: 'unavailable', retryable: true, message: `${provider}: host unreachable (${code})`, cause: err });
  }
  return new ProviderError({
    provider,
    code: 'unavailable',
    retryable: true,
    message: `${provider}: request failed (${code ?? (err instanceof Error ? err.message : 'unknown')})`,
    cause: err,
  });
}

export function abortedError(provider: string, reason: unknown): ProviderError {
  return new ProviderError({ provider, code: 'aborted', retryable: false, message: `${provider}: aborted by caller`, cause: reason });
}

export function timeoutError(provider: string, which: string, ms: number): ProviderError {
  return new ProviderError({ provider, code: 'timeout', retryable: true, message: `${provider}: ${which} timeout after ${ms} ms` });
}
