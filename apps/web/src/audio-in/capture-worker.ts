/**
 * The capture path off the main thread: PCM from the capture worklet (over a MessagePort) ->
 * resample to 48 kHz -> 20 ms frames -> Opus encoder (WebCodecs, or the WASM fallback) -> packets
 * back to the main thread, which only numbers and sends them.
 */
import { createMicEncoder, type MicEncoder } from './opus-encoder.ts';
import { CaptureClock, FrameAssembler } from './opus-packetizer.ts';
import { StreamResampler } from './resampler.ts';

export type CaptureWorkerIn =
  | { type: 'init'; port: MessagePort; contextRate: number; encoder: 'webcodecs' | 'wasm'; packetPort?: MessagePort }
  /** epoch ms = contextTime * 1000 + offset (sent by the main thread, which owns the AudioContext). */
  | { type: 'clock'; epochMinusContextMs: number }
  | { type: 'stop' };

export type CaptureWorkerOut =
  | { type: 'ready'; encoder: MicEncoder['kind'] }
  | { type: 'packet'; data: Uint8Array; capturedAtEpochMs: number }
  | { type: 'level'; peak: number }
  | { type: 'error'; name: string; message: string };

interface WorkerScope {
  onmessage: ((e: MessageEvent<CaptureWorkerIn>) => void) | null;
  postMessage(message: CaptureWorkerOut, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

let encoder: MicEncoder | null = null;
let epochMinusContextMs: number | null = null;
let port: MessagePort | null = null;
let levelPeak = 0;
let levelAt = 0;

function post(msg: CaptureWorkerOut, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

async function init(msg: Extract<CaptureWorkerIn, { type: 'init' }>): Promise<void> {
  const clock = new CaptureClock();
  const resampler = new StreamResampler(msg.contextRate, 48000);
  const assembler = new FrameAssembler();
  try {
    encoder = await createMicEncoder(
      (p) => {
        const packet = { type: 'packet' as const, data: p.data, capturedAtEpochMs: clock.take(p.timestampUs) ?? performance.timeOrigin + performance.now() };
        // Straight to the transport Worker when it gave us a port; else to the main thread.
        if (msg.packetPort) msg.packetPort.postMessage(packet, [p.data.buffer]);
        else post(packet, [p.data.buffer]);
      },
      (e) => post({ type: 'error', name: e.name, message: e.message }),
      msg.encoder,
    );
  } catch (e) {
    const err = e as Error;
    post({ type: 'error', name: err.name, message: err.message });
    return;
  }
  port = msg.port;
  port.onmessage = (e: MessageEvent<{ type: 'pcm'; samples: Float32Array; contextTime: number; peak: number }>) => {
    const { samples, contextTime, peak } = e.data;
    const now = performance.timeOrigin + performance.now();
    let capturedAt = epochMinusContextMs === null ? now : contextTime * 1000 + epochMinusContextMs;
    if (capturedAt > now || now - capturedAt > 2000) capturedAt = now;
    for (const frame of assembler.push(resampler.process(samples), capturedAt)) {
      clock.note(frame.timestampUs, frame.capturedAtMs);
      try {
        encoder?.encode(frame);
      } catch (err) {
        post({ type: 'error', name: (err as Error).name, message: (err as Error).message });
      }
    }
    levelPeak = Math.max(levelPeak, peak);
    if (now - levelAt > 30) {
      post({ type: 'level', peak: levelPeak });
      levelPeak = 0;
      levelAt = now;
    }
  };
  post({ type: 'ready', encoder: encoder.kind });
}

scope.onmessage = (e) => {
  const msg = e.data;
  if (msg.type === 'init') void init(msg);
  else if (msg.type === 'clock') epochMinusContextMs = msg.epochMinusContextMs;
  else if (msg.type === 'stop') {
    if (port) port.onmessage = null;
    encoder?.close();
    encoder = null;
  }
};
