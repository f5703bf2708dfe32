import { Keyboard, MicOff } from 'lucide-react';
import { Button } from '../components/ui/button.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';

/**
 * Shown when the server's speech recognition does not understand the session language (ready.voice_input):
 * says that voice input needs a real STT server (whisper.cpp) and offers typing.
 */
export function VoiceInputNotice({ language }: { language: 'ja' | 'en' }) {
  const { t } = useI18n();
  const focusComposer = () => document.querySelector<HTMLInputElement>('[data-testid="text-input"]')?.focus();
  return (
    <div role="note" className="flex max-w-md items-start gap-2.5 rounded-md border border-amber-500/40 bg-amber-500/10 px-3 py-2 text-xs text-foreground" data-testid="voice-input-unavailable">
      <MicOff className="mt-0.5 size-4 shrink-0 text-amber-500" aria-hidden />
      <div className="flex flex-col items-start gap-2">
        <p>{t('voice.needsStt', { language: t(language === 'ja' ? 'lang.name.ja' : 'lang.name.en') })}</p>
        <Button type="button" size="sm" variant="outline" onClick={focusComposer} data-testid="type-instead">
          <Keyboard />
          {t('voice.typeInstead')}
        </Button>
      </div>
    </div>
  );
}
