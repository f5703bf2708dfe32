import { useState, type FormEvent } from 'react';
import { SendHorizontal, Square } from 'lucide-react';
import { Button } from '../components/ui/button.tsx';
import { Input } from '../components/ui/input.tsx';
import { Tooltip, TooltipContent, TooltipTrigger } from '../components/ui/tooltip.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';

export function Composer({ onSend, onStop, canStop, disabled }: { onSend(text: string): boolean; onStop(): void; canStop: boolean; disabled: boolean }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (onSend(text)) setText('');
  };
  return (
    <form onSubmit={submit} className="flex items-center gap-2">
      <Input
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={t('chat.placeholder')}
        aria-label={t('chat.placeholder')}
        maxLength={4000}
        data-testid="text-input"
      />
      {canStop ? (
        <Tooltip>
          <TooltipTrigger asChild>
            <Button type="button" variant="destructive" onClick={onStop} data-testid="stop-button">
              <Square className="fill-current" />
              {t('chat.stop')}
            </Button>
          </TooltipTrigger>
          <TooltipContent>{t('chat.stopHint')}</TooltipContent>
        </Tooltip>
      ) : (
        <Button type="submit" disabled={disabled || text.trim() === ''} data-testid="send-button">
          <SendHorizontal />
          <span className="hidden sm:inline">{t('chat.send')}</span>
        </Button>
      )}
    </form>
  );
}
