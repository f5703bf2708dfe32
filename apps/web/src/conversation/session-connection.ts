import type { Dispatch, RefObject } from 'react';
import type { ClientMessage, ServerMessage } from '@va/protocol';
import type { Microphone } from '../audio-in/microphone.ts';
import { Player } from '../audio-out/player.ts';
import { sessionUrl, type ConnectionStatus } from '../connection/connection-client.ts';
import type { TransportIn, TransportOut } from '../connection/transport-worker.ts';
import TransportWorker from '../connection/transport-worker.ts?worker';
import { getAudioContext } from '../lib/audio-context.ts';
import { recordCaptureToSend, recordReceiveToAudible } from '../metrics/client-metrics.ts';
import { MicStreamClock, plausibleSpeechEnd } from '../metrics/mic-stream-clock.ts';
import { loadStreamPosition, pageSessionStorage, saveStreamPosition } from '../metrics/mic-stream-store.ts';
import type { ConversationAction } from './conversation-state.ts';

/** What one connected session reports to, and shares with, the hook that owns it. */
export interface SessionLinks {
  opts: { sessionId: string; token: string; language: string };
  dispatch: Dispatch<ConversationAction>;
  send(msg: ClientMessage): boolean;
  setConnection(status: ConnectionStatus): void;
  setAnalyser(a: AnalyserNode | null): void;
  setPlaying(playing: boolean): void;
  setRttMs(ms: number | null): void;
  connectionRef: RefObject<ConnectionStatus>;
  transportRef: RefObject<Worker | null>;
  playerRef: RefObject<Player | null>;
  micRef: RefObject<Microphone | null>;
  avatarRef: RefObject<((msg: Extract<ServerMessage, { type: 'avatar_event' }>) => void) | undefined>;
  /** Maps the server's mic stream time (vad.audio_ms) to when this page captured it; lives as long as the page. */
  micClockRef: RefObject<MicStreamClock | null>;
}

/**
 * Opens the session: the transport Worker (WebSocket) and the playback Worker's port, and routes
 * what the transport reports. Audio never passes through the main thread. Returns the teardown.
 */
export function connectSession(l: SessionLinks): () => void {
  const { opts, dispatch, send, setAnalyser, setPlaying, transportRef, playerRef, micRef } = l;
  const ctx = getAudioContext();
  let disposed = false;
  const micClock = (l.micClockRef.current ??= new MicStreamClock({ basePositionMs: loadStreamPosition(pageSessionStorage(), opts.sessionId) }));
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

  transport.onmessage = (e: MessageEvent<TransportOut>) => onTransport(l, e.data, micClock, saveMicClock, player);
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
}

/** Routes one message from the transport Worker. */
function onTransport(l: SessionLinks, m: TransportOut, micClock: MicStreamClock, saveMicClock: () => void, player: Player | null): void {
  if (m.type === 'status') {
    l.connectionRef.current = m.status;
    l.setConnection(m.status);
  } else if (m.type === 'metrics') for (const v of m.captureToSendMs) recordCaptureToSend(v);
  else if (m.type === 'mic-packets') {
    for (let i = 0; i + 1 < m.packets.length; i += 2) micClock.note(m.packets[i] as number, m.packets[i + 1] as number);
    saveMicClock();
  } else if (m.type === 'rtt') l.setRttMs(m.ms);
  else if (m.type === 'message') {
    const msg = m.msg;
    if (msg.type === 'tts.start') player?.noteSegment(msg.turn_id, msg.segment_id);
    if (msg.type === 'avatar_event') l.avatarRef.current?.(msg);
    if (msg.type === 'playback.duck') player?.setVolume(msg.level);
    if (msg.type === 'playback.clear') player?.setVolume(1);
    if (msg.type === 'pong') return;
    if (msg.type === 'session.end') micClock.reset(0); // the next session's stream time starts at 0
    const capturedMs = msg.type === 'vad' && msg.event === 'speech_end' ? plausibleSpeechEnd(micClock.captureTimeAt(msg.audio_ms), m.atMs) : null;
    l.dispatch({ type: 'server', msg, now: m.atMs, capturedMs });
  }
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
