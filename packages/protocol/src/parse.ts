import type { z } from 'zod';
import { clientMessage, type ClientMessage } from './client-messages.ts';
import { serverMessage, type ServerMessage } from './server-messages.ts';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodType<T>, text: string): ParseResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not valid JSON' };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'message';
  return { ok: false, error: `${where}: ${issue?.message ?? 'invalid'}` };
}

export function parseClientMessage(text: string): ParseResult<ClientMessage> {
  return parseWith(clientMessage, text);
}

export function parseServerMessage(text: string): ParseResult<ServerMessage> {
  return parseWith(serverMessage, text);
}

/** Serialises a message; the type parameter keeps callers honest without a runtime check. */
export function encodeMessage(message: ClientMessage | ServerMessage): string {
  return JSON.stringify(message);
}

/** Session ids are chosen by the client: 1-64 characters of [A-Za-z0-9_-]. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export function isValidSessionId(id: string): boolean {
  return SESSION_ID_PATTERN.test(id);
}
