import { isValidSessionId } from '@va/protocol';

export interface AppConfig {
  token: string;
  language: string | null;
}

declare global {
  interface Window {
    __APP_CONFIG__?: Partial<AppConfig>;
  }
}

/** Runtime config injected into index.html by the server (or the Vite dev plugin). */
export function readAppConfig(): AppConfig {
  const raw = typeof window === 'undefined' ? undefined : window.__APP_CONFIG__;
  const params = typeof location === 'undefined' ? null : new URLSearchParams(location.search);
  return {
    token: raw?.token ?? params?.get('token') ?? '',
    language: raw?.language ?? null,
  };
}

const SESSION_KEY = 'va.sessionId';

function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Session id kept in sessionStorage so a reload or reconnect resumes the same session. */
export function getSessionId(storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeSessionStorage()): string {
  const existing = storage?.getItem(SESSION_KEY);
  if (existing && isValidSessionId(existing)) return existing;
  const id = `s-${randomId()}`;
  storage?.setItem(SESSION_KEY, id);
  return id;
}

function safeSessionStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}
