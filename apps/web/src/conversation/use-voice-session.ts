import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { ClientMessage, ServerMessage } from '@va/protocol';
import { Microphone, classifyMicError, type MicErrorKind } from '../audio-in/microphone.ts';
import { Player } from '../audio-out/player.ts';
import { sessionUrl, type ConnectionStatus } from '../connection/connection-client.ts';
import type { TransportIn, TransportOut } from '../connection/transport-worker.ts';
import TransportWorker from '../connection/transport-worker.ts?worker';
import { getAudioContext } from '../lib/audio-context.ts';
import { recordCaptureToSend, recordReceiveToAudible, recordTurn } from '../metrics/client-metrics.ts';
import { MicStreamClock, plausibleSpeechEnd } from '../metrics/mic-stream-clock.ts';
import { loadStreamPosition, pageSessionStorage, saveStreamPosition } from '../metrics/mic-stream-store.ts';
import { computeWaterfall } from '../metrics/waterfall.ts';
import { conversationReducer, initialConversation } from './conversation-state.ts';

export type MicStatus = 'off' | 'starting' | 'on';

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
  const [mic, setMic] = useState<MicStatus>('off');
  const [micError, setMicError] = useState<MicErrorKind | null>(null);
  const [analyser, setAnalyser] = useState<AnalyserNode | null>(null);
  const [playing, setPlaying] = useState(false);
  const [rttMs, setRttMs] = useState<number | null>(null);
  const transportRef = useRef<Worker | null>(null);
  const connectionRef = useRef<ConnectionStatus>('connecting');
  const playerRef = useRef<Player | null>(null);
  const micRef = useRef<Microphone | null>(null);
  const avatarRef = useRef(opts.onAvatarEvent);
  avatarRef.current = opts.onAvatarEvent;
  const levelRef = useRef(0);
  /** Maps the server's mic stream time (vad.audio_ms) to when this page captured it; lives as long as the page. */
  const micClockRef = useRef<MicStreamClock | null>(null);

  const send = useCallback((msg: ClientMessage): boolean => {
    if (connectionRef.current !== 'ready' || !transportRef.current) return false;
    transportRef.current.postMessage({ type: 'send', msg } satisfies TransportIn);
    return true;
  }, []);

  useEffect(() => {
    const ctx = getAudioContext();
    let disposed = false;
    const micClock = (micClockRef.current ??= new MicStreamClock({ basePositionMs: loadStreamPosition(pageSessionStorage(), opts.sessionId) }));
    const saveMicClock = throttled(1000, () => saveStreamPosition(pageSessionStorage(), opts.sessionId, micClock.positionMs));
    // a new transport Worker numbers mic packets from 0 again
    micClock.newStream();
    const transport = new TransportWorker();
    transportRef.current = transport;
    const frames = new MessageChannel();
    transport.postMessage({ type: 'playback-port', port: frames.port1 } satisfies TransportIn, [frames.port1]);

    let player: Player | null = null;
    Player.create(
      ctx,
      {
        onSegmentAudible: (turnId, _segmentId, at, packetAt) => dispatch({ type: 'audio.first', turnId, now: at, packetAt }),
        onProgress: (turnId, segmentId, playedMs) => void send({ type: 'playback.progress', turn_id: turnId, segment_id: segmentId, played_ms: Math.round(playedMs) }),
        onStopped: (turnId, segmentId, playedMs, reason) => void send({ type: 'playback.stopped', turn_id: turnId, segment_id: segmentId, played_ms: Math.round(playedMs), reason }),
        onReceiveToAudible: recordReceiveToAudible,
        onPlayingChange: setPlaying,
      },
      frames.port2,
    ).then(
      (p) => {
        if (disposed) return p.dispose();
        player = p;
        playerRef.current = p;
        setAnalyser(p.analyser);
      },
      (e: unknown) => dispatch({ type: 'notice', message: `audio playback unavailable: ${String(e)}` }),
    );

    transport.onmessage = (e: MessageEvent<TransportOut>) => {
      const m = e.data;
      if (m.type === 'status') {
        connectionRef.current = m.status;
        setConnection(m.status);
      } else if (m.type === 'metrics') for (const v of m.captureToSendMs) recordCaptureToSend(v);
      else if (m.type === 'mic-packets') {
        for (let i = 0; i + 1 < m.packets.length; i += 2) micClock.note(m.packets[i] as number, m.packets[i + 1] as number);
        saveMicClock();
      } else if (m.type === 'rtt') setRttMs(m.ms);
      else if (m.type === 'message') {
        const msg = m.msg;
        if (msg.type === 'tts.start') player?.noteSegment(msg.turn_id, msg.segment_id);
        if (msg.type === 'avatar_event') avatarRef.current?.(msg);
        if (msg.type === 'playback.duck') player?.setVolume(msg.level);
        if (msg.type === 'playback.clear') player?.setVolume(1);
        if (msg.type === 'pong') return;
        if (msg.type === 'session.end') micClock.reset(0); // the next session's stream time starts at 0
        const capturedMs = msg.type === 'vad' && msg.event === 'speech_end' ? plausibleSpeechEnd(micClock.captureTimeAt(msg.audio_ms), m.atMs) : null;
        dispatch({ type: 'server', msg, now: m.atMs, capturedMs });
      }
    };
    transport.postMessage({ type: 'connect', url: sessionUrl(opts.sessionId), token: opts.token, language: opts.language, mainTimeOrigin: performance.timeOrigin } satisfies TransportIn);

    return () => {
      disposed = true;
      micRef.current?.stop();
      micRef.current = null;
      transport.postMessage({ type: 'close' } satisfies TransportIn);
      setTimeout(() => transport.terminate(), 100);
      transportRef.current = null;
      player?.dispose();
      playerRef.current = null;
    };
  }, [opts.sessionId, opts.token, opts.language, send]);

  // Publish each turn's waterfall for the diagnostics panel and tests.
  useEffect(() => {
    for (const t of conv.turns) {
      if (t.fromHistory) continue;
      recordTurn({ turnId: t.turnId, source: t.source, speechEndSource: t.marks.speechEndSource, ...computeWaterfall(t.marks, t.server), marks: t.marks, server: t.server, interrupted: t.interrupted });
    }
  }, [conv.turns]);

  const startMic = useCallback(async () => {
    if (micRef.current?.running) return;
    setMicError(null);
    setMic('starting');
    const ctx = getAudioContext();
    const params = new URLSearchParams(location.search);
    // Packets go from the capture Worker straight to the transport Worker.
    const packets = new MessageChannel();
    transportRef.current?.postMessage({ type: 'mic-port', port: packets.port1 } satisfies TransportIn, [packets.port1]);
    const m = new Microphone({
      context: ctx,
      encoder: params.get('encoder') === 'wasm' ? 'wasm' : 'webcodecs',
      packetPort: packets.port2,
      onLevel: (peak) => {
        levelRef.current = Math.max(peak, levelRef.current * 0.85);
      },
      onError: (e) => {
        console.error('[mic]', e);
        setMicError(classifyMicError(e).kind);
      },
    });
    micRef.current = m;
    try {
      await ctx.resume().catch(() => undefined);
      await m.start();
      setMic('on');
    } catch (e) {
      micRef.current = null;
      setMic('off');
      setMicError(classifyMicError(e).kind);
    }
  }, []);

  const stopMic = useCallback(() => {
    micRef.current?.stop();
    micRef.current = null;
    levelRef.current = 0;
    setMic('off');
    if (send({ type: 'audio.end' })) dispatch({ type: 'audio.end', now: performance.now() });
  }, [send]);

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

/** Runs `f` at most once per `ms` (the last call within a window runs at its end). */
function throttled(ms: number, f: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    timer ??= setTimeout(() => {
      timer = null;
      f();
    }, ms);
  };
}
