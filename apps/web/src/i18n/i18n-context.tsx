import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { translator, type Translate } from './i18n.ts';
import type { Language } from './strings.ts';

const I18nContext = createContext<{ lang: Language; t: Translate }>({ lang: 'en', t: translator('en') });

export function I18nProvider({ lang, children }: { lang: Language; children: ReactNode }) {
  const value = useMemo(() => ({ lang, t: translator(lang) }), [lang]);
  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n() {
  return useContext(I18nContext);
}
