import type { TurnStages } from '@va/protocol';
import { Tooltip, TooltipContent, TooltipTrigger } from '../components/ui/tooltip.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';
import { BAR_KEYS, waterfallBars, type BarKey, type Waterfall } from '../metrics/waterfall.ts';

const colors: Record<BarKey, string> = {
  wait: 'bg-slate-300',
  stt: 'bg-sky-400',
  retrieval: 'bg-amber-300',
  llm: 'bg-violet-400',
  other: 'bg-zinc-400',
  tts: 'bg-emerald-400',
  playout: 'bg-rose-400',
};
const labelKey = {
  wait: 'wf.wait',
  stt: 'wf.stt',
  retrieval: 'wf.retrieval',
  llm: 'wf.llm',
  other: 'wf.other',
  tts: 'wf.tts',
  playout: 'wf.playout',
} as const satisfies Record<BarKey, string>;
const fieldOf = {
  wait: 'waitMs',
  stt: 'sttMs',
  retrieval: 'retrievalMs',
  llm: 'llmMs',
  other: 'otherMs',
  tts: 'ttsMs',
  playout: 'playoutMs',
} as const satisfies Record<BarKey, keyof Waterfall>;

const fmt = (ms: number | null) => (ms === null ? '–' : `${Math.round(ms)}`);

/**
 * One turn's latency waterfall from where the user stopped (their speech end as the page captured
 * it) to the first audible sample, plus the server's own stage timings.
 */
export function WaterfallView({ waterfall, server }: { waterfall: Waterfall; server: TurnStages | null }) {
  const { t } = useI18n();
  const { bars, totalMs } = waterfallBars(waterfall);
  if (bars.length === 0 && !server) return null;
  const scale = Math.max(totalMs, 1);
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <div className="mt-2 w-full max-w-80 cursor-default select-none" data-testid="waterfall" data-start={waterfall.start ?? ''}>
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
              <span className="font-medium text-foreground/80" data-testid="waterfall-total">
                {t('wf.total')} {waterfall.start === 'estimate' ? '≈' : ''}
                {fmt(waterfall.totalMs)} ms
              </span>
            )}
          </div>
        </div>
      </TooltipTrigger>
      <TooltipContent side="bottom" align="start">
        <div className="grid grid-cols-[auto_auto] gap-x-3 gap-y-0.5 tabular-nums">
          <span className="col-span-2 font-semibold">{t('wf.speechEnd')} →</span>
          {waterfall.start === 'estimate' && <span className="col-span-2 text-muted-foreground">{t('wf.estimated')}</span>}
          {BAR_KEYS.map((k) => (
            <span key={k} className="contents">
              <span>{t(labelKey[k])}</span>
              <span>{fmt(waterfall[fieldOf[k]])} ms</span>
            </span>
          ))}
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
