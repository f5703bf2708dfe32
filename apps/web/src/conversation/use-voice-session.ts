import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { ClientMessage, ServerMessage } from '@va/protocol';
import type { Microphone } from '../audio-in/microphone.ts';
import type { Player } from '../audio-out/player.ts';
import type { ConnectionStatus } from '../connection/connection-client.ts';
import type { TransportIn } from '../connection/transport-worker.ts';
import { getAudioContext } from '../lib/audio-context.ts';
import { recordTurn } from '../metrics/client-metrics.ts';
import type { MicStreamClock } from '../metrics/mic-stream-clock.ts';
import { computeWaterfall } from '../metrics/waterfall.ts';
import { conversationReducer, initialConversation } from './conversation-state.ts';
import { connectSession } from './session-connection.ts';
import { useMicrophone } from './use-microphone.ts';

export type { MicStatus } from './use-microphone.ts';

export interface VoiceSessionOptions {
  sessionId: string;
  token: string;
  language: string;
  onAvatarEvent?(msg: Extract<ServerMessage, { type: 'avatar_event' }>): void;
}

/**
 * Wires the transport Worker (WebSocket), the microphone, playback and the conversation state.
 * Audio never passes through the main thread: capture Worker -> transport Worker -> socket, and
 * socket -> transport Worker -> playback Worker -> playback worklet.
 */
export function useVoiceSession(opts: VoiceSessionOptions) {
  const [conv, dispatch] = useReducer(conversationReducer, initialConversation);
  const [connection, setConnection] = useState<ConnectionStatus>('connecting');
  const [analyser, setAnalyser] = useState<AnalyserNode | null>(null);
  const [playing, setPlaying] = useState(false);
  const [rttMs, setRttMs] = useState<number | null>(null);
  const transportRef = useRef<Worker | null>(null);
  const connectionRef = useRef<ConnectionStatus>('connecting');
  const playerRef = useRef<Player | null>(null);
  const micRef = useRef<Microphone | null>(null);
  const avatarRef = useRef(opts.onAvatarEvent);
  avatarRef.current = opts.onAvatarEvent;
  /** Maps the server's mic stream time (vad.audio_ms) to when this page captured it; lives as long as the page. */
  const micClockRef = useRef<MicStreamClock | null>(null);

  const send = useCallback((msg: ClientMessage): boolean => {
    if (connectionRef.current !== 'ready' || !transportRef.current) return false;
    transportRef.current.postMessage({ type: 'send', msg } satisfies TransportIn);
    return true;
  }, []);

  useEffect(
    () =>
      connectSession({
        opts: { sessionId: opts.sessionId, token: opts.token, language: opts.language },
        dispatch, send, setConnection, setAnalyser, setPlaying, setRttMs, connectionRef, transportRef, playerRef, micRef, avatarRef, micClockRef,
      }),
    [opts.sessionId, opts.token, opts.language, send],
  );

  // Publish each turn's waterfall for the diagnostics panel and tests.
  useEffect(() => {
    for (const t of conv.turns) {
      if (t.fromHistory) continue;
      recordTurn({ turnId: t.turnId, source: t.source, speechEndSource: t.marks.speechEndSource, ...computeWaterfall(t.marks, t.server), marks: t.marks, server: t.server, interrupted: t.interrupted });
    }
  }, [conv.turns]);

  const { mic, micError, levelRef, startMic, stopMic } = useMicrophone(transportRef, micRef, send, dispatch);

  const sendText = useCallback((text: string): boolean => {
    const trimmed = text.trim();
    if (!trimmed) return false;
    void getAudioContext().resume().catch(() => undefined);
    const clientMsgId = `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
    const now = performance.now();
    const ok = send({ type: 'text.input', text: trimmed, client_msg_id: clientMsgId });
    if (ok) dispatch({ type: 'text.sent', clientMsgId, now });
    return ok;
  }, [send]);

  const interrupt = useCallback(() => {
    // Stop locally within one render quantum; the server confirms with playback.clear.
    playerRef.current?.clear(conv.activeTurnId ?? undefined);
    send({ type: 'interrupt' });
    if (conv.activeTurnId) dispatch({ type: 'interrupted', turnId: conv.activeTurnId });
  }, [conv.activeTurnId, send]);

  const dismissNotice = useCallback((id: number) => dispatch({ type: 'dismiss', id }), []);

  return { conv, connection, rttMs, mic, micError, levelRef, analyser, playing, startMic, stopMic, sendText, interrupt, dismissNotice };
}
