import { useEffect, useState } from 'react';
import { Activity } from 'lucide-react';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';
import { summarizeClientMetrics, type ClientMetricsSummary } from './client-metrics.ts';
import type { Summary } from './stats.ts';

function Row({ label, s }: { label: string; s: Summary }) {
  const f = (v: number | null) => (v === null ? '–' : v.toFixed(v < 10 ? 1 : 0));
  return (
    <div className="grid grid-cols-[1fr_auto_auto_auto] items-baseline gap-x-3 text-xs tabular-nums">
      <span className="text-muted-foreground">{label}</span>
      <span>p50 {f(s.p50)}</span>
      <span>p95 {f(s.p95)}</span>
      <span className="w-10 text-right text-muted-foreground">n={s.count}</span>
    </div>
  );
}

/** Client-side latency p50/p95 (ms), refreshed each second. */
export function DiagnosticsPanel({ rttMs }: { rttMs: number | null }) {
  const { t } = useI18n();
  const [s, setS] = useState<ClientMetricsSummary>(() => summarizeClientMetrics());
  const [underruns, setUnderruns] = useState(0);
  useEffect(() => {
    const id = setInterval(() => {
      setS(summarizeClientMetrics());
      setUnderruns(window.__playbackDebug?.underruns ?? 0);
    }, 1000);
    return () => clearInterval(id);
  }, []);
  return (
    <Card className="gap-0" data-testid="diagnostics">
      <CardHeader className="pb-1.5">
        <CardTitle className="flex items-center gap-1.5 text-xs uppercase tracking-wider text-muted-foreground">
          <Activity className="size-3.5" />
          {t('diag.title')} <span className="normal-case">(ms)</span>
        </CardTitle>
        <span className="text-[11px] tabular-nums text-muted-foreground">
          {rttMs !== null && `RTT ${rttMs.toFixed(0)} · `}
          {t('diag.underruns')} {underruns}
        </span>
      </CardHeader>
      <CardContent className="flex flex-col gap-1">
        <Row label={t('diag.captureToSend')} s={s.captureToSendMs} />
        <Row label={t('diag.receiveToAudible')} s={s.receiveToAudibleMs} />
        <Row label={t('diag.turnTotal')} s={s.turnTotalMs} />
        <Row label={t('diag.turnPlayout')} s={s.turnPlayoutMs} />
      </CardContent>
    </Card>
  );
}
