import { memo, useEffect, useRef } from 'react';
import { AlertCircle, BookOpen, Bot, Mic, User } from 'lucide-react';
import { Badge } from '../components/ui/badge.tsx';
import { ScrollArea } from '../components/ui/scroll-area.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';
import { computeWaterfall } from '../metrics/waterfall.ts';
import { cn } from '../lib/utils.ts';
import type { ConversationState, Turn } from './conversation-state.ts';
import { WaterfallView } from './waterfall-view.tsx';

function TurnView({ turn, speaking }: { turn: Turn; speaking: boolean }) {
  const { t } = useI18n();
  return (
    <div className="flex flex-col gap-2" data-testid="turn" data-turn-id={turn.turnId} data-done={turn.done}>
      {turn.userText && (
        <div className="flex justify-end">
          <div className="max-w-[85%] rounded-2xl rounded-br-md bg-primary px-3.5 py-2 text-sm text-primary-foreground shadow-sm" data-testid="user-text">
            {turn.userText}
          </div>
          <span className="sr-only">{t('chat.you')}</span>
        </div>
      )}
      {(turn.assistantText || turn.error) && (
        <div className="flex gap-2">
          <div className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full bg-accent text-accent-foreground">
            <Bot className="size-4" />
          </div>
          <div className="min-w-0 max-w-[88%]">
            {turn.assistantText && (
              <div
                className={cn('rounded-2xl rounded-tl-md bg-secondary px-3.5 py-2 text-sm leading-relaxed text-secondary-foreground', turn.interrupted && 'opacity-80')}
                data-testid="assistant-text"
              >
                {turn.assistantText}
                {!turn.done && <span className="ml-1 inline-block h-3.5 w-1.5 translate-y-0.5 animate-pulse rounded-sm bg-current opacity-60" />}
              </div>
            )}
            <div className="mt-1.5 flex flex-wrap items-center gap-1.5">
              {turn.interrupted && <Badge variant="warning">{t('chat.interrupted')}</Badge>}
              {turn.fallback && <Badge variant="outline">{t('chat.fallback')}</Badge>}
              {turn.contextDropped && (
                <Badge variant="outline" data-testid="context-dropped" title={`${t('chat.contextDroppedDetail')}: ${turn.contextDropped.passages} / ${turn.contextDropped.history}`}>
                  {t('chat.contextDropped')}
                </Badge>
              )}
              {speaking && <Badge variant="success">{t('state.speaking')}</Badge>}
              {turn.error && (
                <span className="inline-flex items-center gap-1 text-xs text-red-400">
                  <AlertCircle className="size-3.5" />
                  {turn.error}
                </span>
              )}
            </div>
            {turn.sources.length > 0 && (
              <div className="mt-1.5 flex flex-wrap items-center gap-1.5 text-xs text-muted-foreground" data-testid="sources">
                <BookOpen className="size-3.5" />
                <span>{t('chat.sources')}:</span>
                {turn.sources.map((s) => (
                  <span key={s.chunk_id} className="rounded-md border border-border bg-background/50 px-1.5 py-0.5 font-mono text-[11px]" title={`score ${s.score.toFixed(2)}`}>
                    {s.source}
                  </span>
                ))}
              </div>
            )}
            {!turn.fromHistory && <WaterfallView waterfall={computeWaterfall(turn.marks, turn.server)} server={turn.server} />}
          </div>
        </div>
      )}
    </div>
  );
}

export const ChatLog = memo(function ChatLog({ conv, playing }: { conv: ConversationState; playing: boolean }) {
  const { t } = useI18n();
  const viewport = useRef<HTMLDivElement>(null);
  const last = conv.turns.at(-1);
  useEffect(() => {
    const el = viewport.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [conv.turns, conv.partial, last?.assistantText]);
  const partial = conv.partial && !conv.turns.find((x) => x.turnId === conv.partial?.turnId)?.userFinal ? conv.partial : null;
  const historyCount = conv.turns.filter((x) => x.fromHistory).length;
  return (
    <ScrollArea className="min-h-0 flex-1" viewportRef={viewport}>
      <div className="flex flex-col gap-5 px-4 py-4" data-testid="chat-log">
        {conv.turns.length === 0 && !partial && (
          <div className="flex flex-col items-center gap-3 py-16 text-center text-sm text-muted-foreground">
            <div className="flex size-12 items-center justify-center rounded-full bg-accent">
              <Mic className="size-5 text-accent-foreground" />
            </div>
            {t('chat.empty')}
          </div>
        )}
        {historyCount > 0 && <div className="text-center text-[11px] uppercase tracking-wider text-muted-foreground">{t('chat.history')}</div>}
        {conv.turns.map((turn) => (
          <TurnView key={turn.turnId} turn={turn} speaking={playing && turn.turnId === conv.activeTurnId} />
        ))}
        {partial && (
          <div className="flex justify-end" data-testid="partial-transcript">
            <div className="flex max-w-[85%] items-center gap-2 rounded-2xl rounded-br-md border border-dashed border-primary/50 px-3.5 py-2 text-sm italic text-foreground/80">
              <User className="size-3.5 shrink-0 opacity-60" />
              {partial.text || t('chat.listening')}
            </div>
          </div>
        )}
      </div>
    </ScrollArea>
  );
});
