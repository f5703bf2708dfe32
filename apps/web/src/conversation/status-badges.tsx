import { Loader2, Wifi, WifiOff } from 'lucide-react';
import type { SessionState } from '@va/protocol';
import { Badge } from '../components/ui/badge.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';
import type { ConnectionStatus } from '../connection/connection-client.ts';

export function ConnectionBadge({ status, isMock }: { status: ConnectionStatus; isMock: boolean }) {
  const { t } = useI18n();
  const variant = status === 'ready' ? 'success' : status === 'failed' || status === 'closed' ? 'destructive' : 'warning';
  return (
    <div className="flex items-center gap-1.5">
      <Badge variant={variant} data-testid="connection-badge" data-status={status}>
        {status === 'ready' ? <Wifi /> : status === 'failed' || status === 'closed' ? <WifiOff /> : <Loader2 className="animate-spin" />}
        {t(`conn.${status}`)}
      </Badge>
      {isMock && status === 'ready' && <Badge variant="outline">{t('conn.mock')}</Badge>}
    </div>
  );
}

const stateStyle: Record<SessionState, string> = {
  idle: 'bg-muted-foreground/60',
  listening: 'bg-sky-400 animate-pulse',
  thinking: 'bg-amber-400 animate-pulse',
  speaking: 'bg-emerald-400 animate-pulse',
};

export function SessionStateBadge({ state, ducked = false }: { state: SessionState; ducked?: boolean }) {
  const { t } = useI18n();
  return (
    <span className="inline-flex items-center gap-2 rounded-full bg-background/70 px-3 py-1 text-xs font-medium shadow-sm backdrop-blur" data-testid="session-state" data-state={state} data-ducked={ducked}>
      <span className={`size-2 rounded-full ${ducked ? 'bg-sky-400 animate-pulse' : stateStyle[state]}`} />
      {ducked ? t('state.ducked') : t(`state.${state}`)}
    </span>
  );
}
