import type { ServerResponse } from 'node:http';
import { sendJson } from '../common/http-util.ts';

export type ErrorShape = 'envelope' | 'object';

const TYPES: Record<number, string> = {
  400: 'BadRequestError', 401: 'AuthenticationError', 404: 'NotFoundError', 422: 'BadRequestError',
  429: 'RateLimitError', 500: 'InternalServerError', 503: 'ServiceUnavailableError',
};

/** vLLM error body: `{"error":{message,type,param,code}}` (envelope) or `{"object":"error",...}` (object). */
export function errorBody(shape: ErrorShape, status: number, message: string): Record<string, unknown> {
  const type = TYPES[status] ?? 'InternalServerError';
  return shape === 'object'
    ? { object: 'error', message, type, param: null, code: status }
    : { error: { message, type, param: null, code: status } };
}

export function sendError(res: ServerResponse, shape: ErrorShape, status: number, message: string): void {
  sendJson(res, status, errorBody(shape, status, message));
}

export function sseHeaders(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
}

export function sseData(res: ServerResponse, value: unknown): void {
  res.write(`data: ${typeof value === 'string' ? value : JSON.stringify(value)}\n\n`);
}
