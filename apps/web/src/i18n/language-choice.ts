import { pickLanguage } from './i18n.ts';
import type { Language } from './strings.ts';

const KEY = 'va.language';

type Store = Pick<Storage, 'getItem' | 'setItem'>;

function safeLocalStorage(): Store | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * The page language: what the user picked with the ja/en switch (kept in localStorage), else the
 * server's configured language, else the browser's (navigator.language: ja-JP -> ja, else en).
 */
export function initialLanguage(configured: string | null | undefined, navigatorLanguage: string | undefined, store: Store | null = safeLocalStorage()): Language {
  const chosen = store?.getItem(KEY);
  if (chosen === 'ja' || chosen === 'en') return chosen;
  return pickLanguage(configured, navigatorLanguage);
}

/** Remembers the user's pick for the next visit. */
export function rememberLanguage(lang: Language, store: Store | null = safeLocalStorage()): void {
  try {
    store?.setItem(KEY, lang);
  } catch {
    // storage full or blocked: the pick holds for this page only
  }
}
