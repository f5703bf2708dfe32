import type { ServerResponse } from 'node:http';
import { sendJson } from '../common/http-util.ts';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 405: 'Method Not Allowed', 415: 'Unsupported Media Type',
  422: 'Unprocessable Entity', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

/** Fish Speech's (Kui's) error body: `{statusCode, message, error}`. */
export function httpError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { statusCode: status, message, error: STATUS_TEXT[status] ?? 'Error' }, headers);
}

/** Non-streaming bodies are still sent with chunked transfer encoding, like the real server. */
export function writeChunked(res: ServerResponse, type: string, body: Uint8Array, headers: Record<string, string>): void {
  res.writeHead(200, { ...headers, 'Content-Type': type });
  const step = 64 * 1024;
  for (let i = 0; i < body.length; i += step) res.write(body.subarray(i, i + step));
  res.end();
}
