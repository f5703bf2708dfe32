import { dictionaries, type Language, type StringKey } from './strings.ts';

/** Picks the UI language from a configured value or navigator.language ("ja-JP" -> ja, else en). */
export function pickLanguage(configured: string | null | undefined, navigatorLanguage: string | undefined): Language {
  const candidate = (configured ?? navigatorLanguage ?? 'en').toLowerCase();
  return candidate.startsWith('ja') ? 'ja' : 'en';
}

export type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

export function translator(lang: Language): Translate {
  const dict = dictionaries[lang];
  return (key, vars) => {
    let text: string = dict[key] ?? dictionaries.en[key] ?? key;
    if (vars) for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
    return text;
  };
}
