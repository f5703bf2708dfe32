import { memo, useEffect, useRef, type RefObject } from 'react';
import { Loader2, Mic, MicOff } from 'lucide-react';
import { Button } from '../components/ui/button.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';
import { cn } from '../lib/utils.ts';
import type { MicErrorKind } from '../audio-in/microphone.ts';
import type { MicStatus } from './use-voice-session.ts';

const errorKey = { denied: 'mic.denied', notFound: 'mic.notFound', unsupported: 'mic.unsupported', insecure: 'mic.insecure', other: 'mic.error' } as const;

const BARS = 12;
const barColor = (i: number, lit: boolean) => (lit ? (i > 9 ? 'var(--color-amber-400)' : 'var(--color-emerald-400)') : 'var(--muted)');

/**
 * Level meter: 12 bars lit by the (smoothed, perceptually scaled) input peak. Reads the level from
 * a ref and paints the DOM directly, so it never re-renders the app.
 */
export function LevelMeter({ levelRef, active }: { levelRef: RefObject<number>; active: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let last = -1;
    const paint = () => {
      const level = active ? levelRef.current : 0;
      const lit = Math.round(Math.min(1, Math.sqrt(level) * 1.4) * BARS);
      if (lit === last || !box.current) return;
      last = lit;
      box.current.dataset['level'] = level.toFixed(3);
      Array.from(box.current.children).forEach((el, i) => ((el as HTMLElement).style.background = barColor(i, i < lit)));
    };
    paint();
    const id = setInterval(paint, 60);
    return () => clearInterval(id);
  }, [active, levelRef]);
  return (
    <div ref={box} className="flex h-6 items-end gap-0.5" aria-hidden data-testid="level-meter">
      {Array.from({ length: BARS }, (_, i) => (
        <div key={i} className="w-1 rounded-full transition-colors duration-75" style={{ height: `${30 + i * 6}%`, background: barColor(i, false) }} />
      ))}
    </div>
  );
}

export const MicControl = memo(function MicControl({ status, error, levelRef, onStart, onStop, disabled }: { status: MicStatus; error: MicErrorKind | null; levelRef: RefObject<number>; onStart(): void; onStop(): void; disabled: boolean }) {
  const { t } = useI18n();
  const on = status === 'on';
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-center gap-3">
        <Button
          size="icon-lg"
          variant={on ? 'destructive' : 'default'}
          className={cn('shadow-lg', on && 'animate-pulse-ring')}
          onClick={on ? onStop : onStart}
          disabled={disabled || status === 'starting'}
          aria-label={on ? t('mic.off') : t('mic.on')}
          aria-pressed={on}
          data-testid="mic-button"
        >
          {status === 'starting' ? <Loader2 className="size-6! animate-spin" /> : on ? <MicOff className="size-6!" /> : <Mic className="size-6!" />}
        </Button>
        <div className="flex min-w-0 flex-col gap-1">
          <span className="text-sm font-medium">{status === 'starting' ? t('mic.starting') : on ? t('mic.live') : t('mic.idle')}</span>
          <LevelMeter levelRef={levelRef} active={on} />
        </div>
      </div>
      {error && (
        <p role="alert" className="max-w-md rounded-md border border-red-500/30 bg-red-500/10 px-3 py-2 text-xs text-red-300" data-testid="mic-error" data-kind={error}>
          {t(errorKey[error])}
        </p>
      )}
    </div>
  );
});
