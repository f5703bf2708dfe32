import type { TurnStages } from '@va/protocol';
import { Tooltip, TooltipContent, TooltipTrigger } from '../components/ui/tooltip.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';
import { waterfallBars, type Waterfall } from '../metrics/waterfall.ts';

const colors = { wait: 'bg-slate-300', stt: 'bg-sky-400', llm: 'bg-violet-400', tts: 'bg-emerald-400' } as const;
const labelKey = { wait: 'wf.wait', stt: 'wf.stt', llm: 'wf.llm', tts: 'wf.tts' } as const;

const fmt = (ms: number | null) => (ms === null ? '–' : `${Math.round(ms)}`);

/** One turn's browser-measured latency waterfall plus the server's stage timings. */
export function WaterfallView({ waterfall, server }: { waterfall: Waterfall; server: TurnStages | null }) {
  const { t } = useI18n();
  const { bars, totalMs } = waterfallBars(waterfall);
  if (bars.length === 0 && !server) return null;
  const scale = Math.max(totalMs, 1);
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <div className="mt-2 w-full max-w-80 cursor-default select-none" data-testid="waterfall">
          <div className="flex h-1.5 w-full overflow-hidden rounded-full bg-muted">
            {bars.map((b) => (
              <div key={b.key} className={colors[b.key]} style={{ width: `${(b.durationMs / scale) * 100}%` }} />
            ))}
          </div>
          <div className="mt-1 flex flex-wrap gap-x-2.5 text-[10px] tabular-nums text-muted-foreground">
            {bars.map((b) => (
              <span key={b.key} className="inline-flex items-center gap-1">
                <span className={`size-1.5 rounded-full ${colors[b.key]}`} />
                {t(labelKey[b.key])} {fmt(b.durationMs)}
              </span>
            ))}
            {waterfall.totalMs !== null && (
              <span className="font-medium text-foreground/80">
                {t('wf.total')} {fmt(waterfall.totalMs)} ms
              </span>
            )}
          </div>
        </div>
      </TooltipTrigger>
      <TooltipContent side="bottom" align="start">
        <div className="grid grid-cols-[auto_auto] gap-x-3 gap-y-0.5 tabular-nums">
          <span className="col-span-2 font-semibold">{t('wf.speechEnd')} →</span>
          <span>{t('wf.wait')}</span>
          <span>{fmt(waterfall.waitMs)} ms</span>
          <span>{t('wf.stt')}</span>
          <span>{fmt(waterfall.sttMs)} ms</span>
          <span>{t('wf.llm')}</span>
          <span>{fmt(waterfall.llmMs)} ms</span>
          <span>{t('wf.tts')}</span>
          <span>{fmt(waterfall.ttsMs)} ms</span>
          {server && (
            <>
              <span className="col-span-2 mt-1 font-semibold">{t('wf.server')}</span>
              {Object.entries(server).map(([k, v]) => (
                <span key={k} className="contents">
                  <span>{k.replace(/_ms$/, '')}</span>
                  <span>{fmt(v)} ms</span>
                </span>
              ))}
            </>
          )}
        </div>
      </TooltipContent>
    </Tooltip>
  );
}
