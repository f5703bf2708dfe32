import type { ServerResponse } from 'node:http';
import { sendJson } from './http-util.ts';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error',
  500: 'server_error', 501: 'not_supported_error', 503: 'unavailable_error',
};

/** llama-server's error body: `{"error":{"code","message","type"}}`. */
export function llamaError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: { code: status, message, type: ERROR_TYPES[status] ?? 'server_error' } });
}
