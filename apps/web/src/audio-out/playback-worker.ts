/**
 * The TTS audio path off the main thread: per-segment jitter buffers (SegmentQueue) -> Opus decode
 * (`opus-decoder` WASM) -> resample 48 kHz -> context rate -> straight to the playback AudioWorklet
 * over a MessagePort. The main thread only forwards frames here; its own stalls (WebGL rendering)
 * then cannot starve playback, and decoding never blocks rendering.
 */
import { OpusDecoder } from 'opus-decoder';
import { StreamResampler } from '../audio-in/resampler.ts';
import { SegmentQueue } from './segment-queue.ts';

export type PlaybackWorkerIn =
  /** mainTimeOrigin: the main thread's performance.timeOrigin, so timing marks land on its clock. */
  | { type: 'init'; port: MessagePort; contextRate: number; mainTimeOrigin?: number }
  /** A second input: frames and control straight from the transport Worker. */
  | { type: 'frames-port'; port: MessagePort }
  | { type: 'start'; segmentId: number; turnId: string }
  | { type: 'frame'; segmentId: number; seq: number; last: boolean; data: Uint8Array; arrivedAtMs: number }
  | { type: 'end'; segmentId: number; durationMs: number }
  | { type: 'clear'; turnIds: string[] | null };

export interface PlaybackWorkerStats {
  type: 'stats';
  packets: number;
  gaps: number;
}

interface WorkerScope {
  onmessage: ((e: MessageEvent<PlaybackWorkerIn>) => void) | null;
  postMessage(message: unknown): void;
}
const scope = self as unknown as WorkerScope;

const TTS_RATE = 48_000;
const FRAME_SAMPLES = 1920; // 40 ms at 48 kHz

interface Packet {
  data: Uint8Array;
  arrivedAtMs: number;
  /** When this worker got it (main-thread clock). */
  receivedAtMs: number;
}

/** Where the first chunk of a segment spent its time here (main-thread performance.now()). */
export interface ChunkTiming {
  receivedAtMs: number;
  /** the jitter buffer let it go */
  releasedAtMs: number;
  /** decoded, resampled and posted to the worklet */
  postedAtMs: number;
}

const queue = new SegmentQueue<Packet>();
let port: MessagePort | null = null;
let contextRate = 48_000;
let decoder: OpusDecoder<48000> | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let nextId = 1;
let mainTimeOrigin = performance.timeOrigin;
const mainNow = () => performance.timeOrigin + performance.now() - mainTimeOrigin;
const stats: PlaybackWorkerStats = { type: 'stats', packets: 0, gaps: 0 };
const resamplers = new Map<number, StreamResampler>();

async function newDecoder(): Promise<OpusDecoder<48000>> {
  const d = new OpusDecoder({ channels: 1, sampleRate: TTS_RATE });
  await d.ready;
  return d;
}

/**
 * The next segment's decoder, made ahead (after the current segment's first chunk has gone out):
 * creating one (WASM) on a segment's first packet delayed its first sample by 3-10 ms.
 */
let spare: Promise<OpusDecoder<48000>> | null = null;
let spareWanted = false;

/** Each segment is its own Opus stream: a decoder without the previous segment's state. */
async function freshDecoder(): Promise<void> {
  decoder?.free();
  decoder = null;
  const next = spare ?? newDecoder();
  spare = null;
  spareWanted = true;
  decoder = await next;
}

function makeSpareSoon(): void {
  if (!spareWanted) return;
  spareWanted = false;
  setTimeout(() => (spare ??= newDecoder()), 0);
}

function decode(data: Uint8Array): Float32Array {
  try {
    const out = decoder?.decodeFrame(data);
    const pcm = out?.channelData[0];
    if (out && pcm && out.samplesDecoded > 0) return pcm.slice(0, out.samplesDecoded);
  } catch {
    // fall through to silence
  }
  return new Float32Array(FRAME_SAMPLES);
}

let busy: Promise<void> = Promise.resolve();

function pump(): void {
  busy = busy.then(pumpNow).catch((e: unknown) => console.error('[playback-worker]', e));
}

async function pumpNow(): Promise<void> {
  // The jitter buffer runs on this worker's clock; arrivedAtMs (main-thread clock) is only echoed for metrics.
  const now = performance.now();
  for (const q of queue.pull(now)) {
    const turnId = q.turnId;
    const releasedAtMs = mainNow();
    if (q.firstOfSegment) {
      await freshDecoder();
      resamplers.set(q.segmentId, new StreamResampler(TTS_RATE, contextRate));
    }
    if (q.item.kind === 'end') {
      resamplers.delete(q.segmentId);
      port?.postMessage({ type: 'end', segmentId: q.segmentId, turnId });
      continue;
    }
    let pcm: Float32Array;
    let arrivedAtMs: number | null = null;
    let receivedAtMs: number | null = null;
    if (q.item.kind === 'packet') {
      stats.packets++;
      pcm = decode(q.item.data.data);
      arrivedAtMs = q.item.data.arrivedAtMs;
      receivedAtMs = q.item.data.receivedAtMs;
    } else {
      stats.gaps++;
      pcm = new Float32Array(FRAME_SAMPLES);
    }
    const resampler = resamplers.get(q.segmentId) ?? new StreamResampler(TTS_RATE, contextRate);
    resamplers.set(q.segmentId, resampler);
    const samples = resampler.process(pcm);
    const timing: ChunkTiming | null = q.firstOfSegment && receivedAtMs !== null ? { receivedAtMs, releasedAtMs, postedAtMs: mainNow() } : null;
    port?.postMessage({ type: 'chunk', id: nextId++, segmentId: q.segmentId, turnId, arrivedAtMs, timing, samples }, [samples.buffer]);
  }
  scope.postMessage(stats);
  makeSpareSoon();
  if (timer) clearTimeout(timer);
  const wake = queue.nextWakeMs(now);
  if (wake !== null) timer = setTimeout(pump, Math.max(1, wake - now));
}

const clearedTurns = new Set<string>();

function handle(msg: PlaybackWorkerIn): void {
  switch (msg.type) {
    case 'init':
      port = msg.port;
      contextRate = msg.contextRate;
      spare ??= newDecoder();
      if (msg.mainTimeOrigin !== undefined) mainTimeOrigin = msg.mainTimeOrigin;
      return;
    case 'frames-port':
      msg.port.onmessage = (e: MessageEvent<PlaybackWorkerIn>) => handle(e.data);
      return;
    case 'start':
      if (!clearedTurns.has(msg.turnId)) queue.start(msg.segmentId, msg.turnId);
      return;
    case 'frame':
      if (queue.push(msg.segmentId, msg.seq, { data: msg.data, arrivedAtMs: msg.arrivedAtMs, receivedAtMs: mainNow() }, performance.now(), msg.last)) pump();
      return;
    case 'end':
      queue.end(msg.segmentId, msg.durationMs);
      pump();
      return;
    case 'clear':
      if (msg.turnIds === null) queue.clear();
      else for (const t of msg.turnIds) {
        queue.clear(t);
        clearedTurns.add(t);
      }
      // Stop the worklet too (idempotent if the main thread already did).
      port?.postMessage({ type: 'flush', turnIds: msg.turnIds });
      return;
  }
}

scope.onmessage = (e) => handle(e.data);

