import type { ServerResponse } from 'node:http';
import { ERROR_CODES, type ErrorCode } from '@va/protocol';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

/** HTTP error body: the same stable codes as the WebSocket `error` events. */
export function sendError(res: ServerResponse, code: ErrorCode, message: string): void {
  const spec = ERROR_CODES[code];
  sendJson(res, spec.http, { error: { code, message, retryable: spec.retryable } });
}
