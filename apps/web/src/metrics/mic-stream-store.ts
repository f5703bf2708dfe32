/**
 * The session's mic stream time survives a reload of the page: the server resumes the session
 * (same id from sessionStorage) and its stream time goes on from where the last page left it, so
 * the new page's MicStreamClock starts there.
 */
const KEY = 'va.micStreamMs';

type Store = Pick<Storage, 'getItem' | 'setItem'>;

export function loadStreamPosition(storage: Store | null, sessionId: string): number {
  try {
    const raw: unknown = JSON.parse(storage?.getItem(KEY) ?? 'null');
    if (typeof raw !== 'object' || raw === null) return 0;
    const { session, ms } = raw as { session?: unknown; ms?: unknown };
    return session === sessionId && typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : 0;
  } catch {
    return 0;
  }
}

export function saveStreamPosition(storage: Store | null, sessionId: string, positionMs: number): void {
  try {
    storage?.setItem(KEY, JSON.stringify({ session: sessionId, ms: positionMs }));
  } catch {
    // storage full or blocked: a reload then maps from 0 and the waterfall falls back to its estimate
  }
}

export function pageSessionStorage(): Store | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}
