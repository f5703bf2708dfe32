/** Languages a session can have: what the STT is told, the prompt and fallback phrases, the voice, the UI. */
export const SESSION_LANGUAGES = ['ja', 'en'] as const;
export type SessionLanguage = (typeof SESSION_LANGUAGES)[number];

/**
 * A BCP-47 tag (`ja`, `ja-JP`, `EN_us`, `en-GB`...) to a session language, or null when its
 * primary subtag is not one the app speaks (the server then uses its configured default).
 */
export function normalizeLanguage(tag: string | null | undefined): SessionLanguage | null {
  if (!tag) return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/, 1)[0] ?? '';
  return (SESSION_LANGUAGES as readonly string[]).includes(primary) ? (primary as SessionLanguage) : null;
}
