import { Languages } from 'lucide-react';
import { useI18n } from '../i18n/i18n-context.tsx';
import { languages, NATIVE_LANGUAGE_NAMES, type Language } from '../i18n/strings.ts';
import { cn } from '../lib/utils.ts';

/** ja / en switch: the page, the session (hello.language) and the voice follow it. */
export function LanguageSwitch({ value, onChange }: { value: Language; onChange(lang: Language): void }) {
  const { t } = useI18n();
  return (
    <div role="group" aria-label={t('lang.label')} title={t('lang.hint')} className="flex items-center gap-1.5 text-xs text-muted-foreground" data-testid="lang-switch">
      <Languages className="size-3.5" aria-hidden />
      <div className="flex overflow-hidden rounded-md border border-border">
        {languages.map((lang) => (
          <button
            key={lang}
            type="button"
            lang={lang}
            aria-pressed={lang === value}
            onClick={() => lang !== value && onChange(lang)}
            className={cn('px-2 py-1 transition-colors', lang === value ? 'bg-primary text-primary-foreground' : 'hover:bg-accent hover:text-accent-foreground')}
            data-testid={`lang-${lang}`}
          >
            {NATIVE_LANGUAGE_NAMES[lang]}
          </button>
        ))}
      </div>
    </div>
  );
}
