import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Activity, AudioLines } from 'lucide-react';
import type { ServerMessage } from '@va/protocol';
import type { AvatarController } from './avatar/avatar-canvas.tsx';
import { Card, CardFooter, CardHeader, CardTitle } from './components/ui/card.tsx';
import { Switch } from './components/ui/switch.tsx';
import { TooltipProvider } from './components/ui/tooltip.tsx';
import { AvatarPanel } from './conversation/avatar-panel.tsx';
import { ChatLog } from './conversation/chat-log.tsx';
import { Composer } from './conversation/composer.tsx';
import { MicControl } from './conversation/mic-control.tsx';
import { Notices } from './conversation/notices.tsx';
import { ConnectionBadge } from './conversation/status-badges.tsx';
import { useVoiceSession } from './conversation/use-voice-session.ts';
import { LanguageSwitch } from './conversation/language-switch.tsx';
import { VoiceInputNotice } from './conversation/voice-input-notice.tsx';
import { voiceInputAvailable } from './conversation/conversation-state.ts';
import { I18nProvider, useI18n } from './i18n/i18n-context.tsx';
import { translator } from './i18n/i18n.ts';
import { initialLanguage, rememberLanguage } from './i18n/language-choice.ts';
import type { Language } from './i18n/strings.ts';
import { getSessionId, readAppConfig } from './lib/app-config.ts';
import { DiagnosticsPanel } from './metrics/diagnostics-panel.tsx';

function Shell({ language, onLanguage }: { language: Language; onLanguage(lang: Language): void }) {
  const { t } = useI18n();
  const config = useMemo(() => readAppConfig(), []);
  const sessionId = useMemo(() => getSessionId(), []);
  const avatar = useRef<AvatarController>(null);
  const [showDiag, setShowDiag] = useState(() => new URLSearchParams(location.search).has('diag'));
  const onAvatarEvent = useCallback((m: Extract<ServerMessage, { type: 'avatar_event' }>) => {
    const ev = m.event;
    if (ev.kind === 'expression') avatar.current?.setExpression(ev.name, ev.weight, ev.duration_ms);
    else if (ev.kind === 'look') avatar.current?.lookAt(ev.target);
    else avatar.current?.gesture(ev.name);
  }, []);
  const s = useVoiceSession({ sessionId, token: config.token, language, onAvatarEvent });
  const ready = s.connection === 'ready';
  const speaking = s.playing || s.conv.session === 'speaking';
  const voiceInput = voiceInputAvailable(s.conv, language);

  return (
    <div className="flex h-full flex-col" data-session-language={s.conv.language ?? ''}>
      <header className="flex items-center justify-between gap-3 border-b border-border px-4 py-2.5 lg:px-6">
        <div className="flex items-center gap-2.5">
          <div className="flex size-8 items-center justify-center rounded-lg bg-primary text-primary-foreground">
            <AudioLines className="size-4.5" />
          </div>
          <div className="leading-tight">
            <h1 className="text-sm font-semibold">{t('appTitle')}</h1>
            <p className="hidden text-xs text-muted-foreground sm:block">{t('appSubtitle')}</p>
          </div>
        </div>
        <div className="flex items-center gap-3">
          <LanguageSwitch value={language} onChange={onLanguage} />
          <label className="flex items-center gap-2 text-xs text-muted-foreground">
            <Activity className="size-3.5" />
            <span className="hidden sm:inline">{t('diag.show')}</span>
            <Switch checked={showDiag} onCheckedChange={setShowDiag} aria-label={t('diag.show')} data-testid="diag-switch" />
          </label>
          <ConnectionBadge status={s.connection} isMock={s.conv.isMock} />
        </div>
      </header>

      <main className="flex min-h-0 flex-1 flex-col gap-4 overflow-y-auto p-4 lg:grid lg:grid-cols-[minmax(0,1.35fr)_minmax(380px,1fr)] lg:grid-rows-1 lg:overflow-hidden lg:p-6">
        <section className="flex shrink-0 flex-col gap-4 lg:min-h-0">
          <div className="h-[42vh] min-h-[260px] lg:h-auto lg:min-h-0 lg:flex-1">
            <AvatarPanel analyser={s.analyser} state={s.conv.session} ducked={s.conv.ducked} controllerRef={avatar} />
          </div>
          <div className="flex flex-wrap items-end justify-between gap-4">
            <div className="flex flex-col gap-2">
              <MicControl status={s.mic} error={s.micError} levelRef={s.levelRef} onStart={s.startMic} onStop={s.stopMic} disabled={!ready} />
              {!voiceInput && <VoiceInputNotice language={s.conv.language ?? language} />}
            </div>
            {showDiag && (
              <div className="w-full sm:w-auto sm:min-w-80">
                <DiagnosticsPanel rttMs={s.rttMs} />
              </div>
            )}
          </div>
        </section>

        <Card className="min-h-[70vh] shrink-0 overflow-hidden lg:min-h-0">
          <CardHeader className="border-b border-border pb-3">
            <CardTitle>{t('chat.title')}</CardTitle>
            <span className="font-mono text-[10px] text-muted-foreground" title={t('session.id')}>
              {sessionId}
            </span>
          </CardHeader>
          <ChatLog conv={s.conv} playing={s.playing} />
          <CardFooter>
            <div className="w-full">
              <Composer onSend={s.sendText} onStop={s.interrupt} canStop={speaking} disabled={!ready} />
            </div>
          </CardFooter>
        </Card>
      </main>
      <Notices notices={s.conv.notices} onDismiss={s.dismissNotice} />
    </div>
  );
}

export function App() {
  const config = useMemo(() => readAppConfig(), []);
  const [lang, setLang] = useState<Language>(() => initialLanguage(config.language, typeof navigator === 'undefined' ? undefined : navigator.language));
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translator(lang)('appTitle');
  }, [lang]);
  const choose = useCallback((next: Language) => {
    rememberLanguage(next);
    setLang(next);
  }, []);
  return (
    <I18nProvider lang={lang}>
      <TooltipProvider delayDuration={250}>
        <Shell language={lang} onLanguage={choose} />
      </TooltipProvider>
    </I18nProvider>
  );
}
