import { SESSION_LANGUAGES, normalizeLanguage, type SessionLanguage } from '@va/protocol';

/** How a session's language is chosen, and which languages voice input understands. (What the STT is told: VoiceSession.) */
export interface LanguagePolicy {
  readonly defaultLanguage: SessionLanguage;
  /** Per session language: does speech recognition understand it (sent in `ready.voice_input`). */
  readonly voiceInput: Record<SessionLanguage, boolean>;
  /** `hello.language` (BCP-47) to the session language; absent or unknown: the default. */
  sessionLanguage(tag: string | null | undefined): SessionLanguage;
}

export interface LanguageSettings {
  /** `DEFAULT_LANGUAGE`, if set. */
  defaultLanguage: SessionLanguage | undefined;
  /** The STT provider's `options.language` (`STT_LANGUAGE`): an ISO code or `auto`. */
  sttOption: string | undefined;
  /** `STT_LANGUAGES`, if set. */
  sttLanguages: string[] | undefined;
  /** Stand-ins answer: the STT is the English-only pocketsphinx stand-in. */
  standinStt: boolean;
}

export function languagePolicy(s: LanguageSettings): LanguagePolicy {
  const defaultLanguage = s.defaultLanguage ?? normalizeLanguage(s.sttOption) ?? 'ja';
  const understood = s.sttLanguages ?? (s.standinStt ? ['en'] : [...SESSION_LANGUAGES]);
  const voiceInput = Object.fromEntries(SESSION_LANGUAGES.map((l) => [l, understood.some((u) => normalizeLanguage(u) === l)])) as Record<SessionLanguage, boolean>;
  return {
    defaultLanguage,
    voiceInput,
    sessionLanguage: (tag) => normalizeLanguage(tag) ?? defaultLanguage,
  };
}
