/**
 * The WebSocket lives in this Worker so the audio never waits for the main thread (which may be
 * busy rendering WebGL): mic packets arrive from the capture Worker over a port and are sent at
 * once; TTS frames and their control messages go straight to the playback Worker over a port, in
 * order. Every JSON message is also posted to the main thread for the UI.
 */
import { FLAG_LAST, type ClientMessage, type ServerMessage } from '@va/protocol';
import { MicPacketSequencer } from '../audio-in/opus-packetizer.ts';
import type { PlaybackWorkerIn } from '../audio-out/playback-worker.ts';
import { ConnectionClient, type ConnectionStatus } from './connection-client.ts';

export type TransportIn =
  | { type: 'connect'; url: string; token: string; language: string; mainTimeOrigin: number }
  | { type: 'send'; msg: ClientMessage }
  | { type: 'close' }
  /** Encoded mic packets: { data: Uint8Array; capturedAtEpochMs: number }. */
  | { type: 'mic-port'; port: MessagePort }
  /** Where TTS frames and tts.start/tts.end/playback.clear go (the playback Worker). */
  | { type: 'playback-port'; port: MessagePort };

export type TransportOut =
  | { type: 'status'; status: ConnectionStatus; detail?: { code?: number; reason?: string; attempt?: number } }
  /** atMs: receipt time on the main thread's performance.now() clock. */
  | { type: 'message'; msg: ServerMessage; atMs: number }
  | { type: 'metrics'; captureToSendMs: number[] }
  /** Mic packets numbered since the last report, flat: seq, capture time of the last sample (main-thread performance.now()), ... */
  | { type: 'mic-packets'; packets: number[] }
  | { type: 'rtt'; ms: number };

interface WorkerScope {
  onmessage: ((e: MessageEvent<TransportIn>) => void) | null;
  postMessage(message: TransportOut): void;
}
const scope = self as unknown as WorkerScope;

/** Per page: the mic sequence continues across reconnects and mic restarts. */
const sequencer = new MicPacketSequencer();
let client: ConnectionClient | null = null;
let playback: MessagePort | null = null;
let mainTimeOrigin = performance.timeOrigin;
let pendingMetrics: number[] = [];
let pendingMicPackets: number[] = [];
const clearedTurns = new Set<string>();

const mainNow = () => performance.timeOrigin + performance.now() - mainTimeOrigin;
const toPlayback = (msg: PlaybackWorkerIn, transfer: Transferable[] = []) => playback?.postMessage(msg, transfer);

/** Before a `vad` event, so the page can map its audio_ms to a capture time (metrics/mic-stream-clock.ts). */
function flushMicPackets(): void {
  if (pendingMicPackets.length === 0) return;
  scope.postMessage({ type: 'mic-packets', packets: pendingMicPackets });
  pendingMicPackets = [];
}

function onMessage(msg: ServerMessage): void {
  const atMs = mainNow();
  if (msg.type === 'vad') flushMicPackets();
  if (msg.type === 'tts.start' && !clearedTurns.has(msg.turn_id)) toPlayback({ type: 'start', segmentId: msg.segment_id, turnId: msg.turn_id });
  else if (msg.type === 'tts.end') toPlayback({ type: 'end', segmentId: msg.segment_id, durationMs: msg.duration_ms });
  else if (msg.type === 'playback.clear') {
    clearedTurns.add(msg.turn_id);
    toPlayback({ type: 'clear', turnIds: [msg.turn_id] });
  } else if (msg.type === 'pong' && client?.rttMs != null) scope.postMessage({ type: 'rtt', ms: client.rttMs });
  scope.postMessage({ type: 'message', msg, atMs });
}

setInterval(flushMicPackets, 100);
setInterval(() => {
  if (pendingMetrics.length === 0) return;
  scope.postMessage({ type: 'metrics', captureToSendMs: pendingMetrics });
  pendingMetrics = [];
}, 500);

scope.onmessage = (e) => {
  const m = e.data;
  switch (m.type) {
    case 'connect':
      mainTimeOrigin = m.mainTimeOrigin;
      client?.close();
      client = new ConnectionClient({
        url: m.url,
        token: m.token,
        language: m.language,
        onStatus: (status, detail) => scope.postMessage({ type: 'status', status, ...(detail ? { detail } : {}) }),
        onMessage,
        onAudio: (f) => {
          // Copy: the payload is a view into the WebSocket message buffer.
          const data = f.payload.slice();
          toPlayback({ type: 'frame', segmentId: f.segment, seq: f.seq, last: (f.flags & FLAG_LAST) !== 0, data, arrivedAtMs: mainNow() }, [data.buffer]);
        },
      });
      client.connect();
      setTimeout(() => client?.send({ type: 'ping', t: performance.now() }), 1500);
      return;
    case 'send':
      client?.send(m.msg);
      return;
    case 'close':
      client?.close();
      client = null;
      return;
    case 'playback-port':
      playback = m.port;
      return;
    case 'mic-port':
      m.port.onmessage = (p: MessageEvent<{ data: Uint8Array; capturedAtEpochMs: number }>) => {
        if (!client?.isReady) return;
        const { seq, bytes } = sequencer.wrap(p.data.data);
        // numbered even if the send fails: the server fills the gap, so it counts in the stream time
        pendingMicPackets.push(seq, p.data.capturedAtEpochMs - mainTimeOrigin);
        if (client.sendBinary(bytes)) pendingMetrics.push(performance.timeOrigin + performance.now() - p.data.capturedAtEpochMs);
      };
      return;
  }
};
