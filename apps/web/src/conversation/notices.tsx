import { useEffect } from 'react';
import { AlertTriangle, X } from 'lucide-react';
import { useI18n } from '../i18n/i18n-context.tsx';
import type { StringKey } from '../i18n/strings.ts';
import type { Notice } from './conversation-state.ts';

const NOTICE_KEYS: Partial<Record<Notice['code'], StringKey>> = {
  busy: 'notice.busy',
  stt_failed: 'notice.stt_failed',
  llm_failed: 'notice.llm_failed',
  tts_failed: 'notice.tts_failed',
  retrieval_failed: 'notice.retrieval_failed',
  idle_timeout: 'notice.idle_timeout',
  server_full: 'notice.server_full',
  client_too_slow: 'notice.client_too_slow',
  text_too_long: 'notice.text_too_long',
  local: 'notice.playback',
};

/** Toasts for server errors and local problems; each fades after 8 s. */
export function Notices({ notices, onDismiss }: { notices: Notice[]; onDismiss(id: number): void }) {
  const { t } = useI18n();
  useEffect(() => {
    const timers = notices.map((n) => setTimeout(() => onDismiss(n.id), 8000));
    return () => timers.forEach(clearTimeout);
  }, [notices, onDismiss]);
  return (
    <div className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} role="status" className="pointer-events-auto flex items-start gap-2 rounded-lg border border-red-500/30 bg-popover px-3 py-2.5 text-sm text-popover-foreground shadow-lg" data-testid="notice">
          <AlertTriangle className="mt-0.5 size-4 shrink-0 text-red-400" />
          <div className="min-w-0 flex-1">
            <div className="break-words">{t(NOTICE_KEYS[n.code] ?? 'notice.other')}</div>
            <div className="font-mono text-[11px] break-words text-muted-foreground">
              {n.code}: {n.message}
            </div>
          </div>
          <button type="button" className="text-muted-foreground hover:text-foreground" onClick={() => onDismiss(n.id)} aria-label={t('notice.dismiss')}>
            <X className="size-4" />
          </button>
        </div>
      ))}
    </div>
  );
}
