import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Constant-time token check (hashing first makes the lengths equal). */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Origin allow-list. Browsers always send Origin on WebSocket upgrades; other clients (the
 * benchmark, curl) may not, and still need the token. With an empty list only the page's own
 * origin (same host as the Host header) is allowed.
 */
export function originAllowed(req: IncomingMessage, allowList: string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowList.includes('*')) return true;
  if (allowList.length > 0) return allowList.includes(origin);
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
