import { contextTimeToPerf } from '../lib/audio-context.ts';
import type { CaptureWorkerIn, CaptureWorkerOut } from './capture-worker.ts';
import { EncoderUnsupportedError } from './opus-encoder.ts';
import captureWorkletUrl from './capture-worklet.ts?worker&url';
import CaptureWorker from './capture-worker.ts?worker';

export type MicErrorKind = 'denied' | 'notFound' | 'unsupported' | 'insecure' | 'other';

export class MicError extends Error {
  override name = 'MicError';
  constructor(
    readonly kind: MicErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export function classifyMicError(e: unknown): MicError {
  if (e instanceof MicError) return e;
  if (e instanceof EncoderUnsupportedError) return new MicError('unsupported', e.message);
  const name = (e as { name?: string } | null)?.name ?? '';
  const message = (e as { message?: string } | null)?.message ?? String(e);
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return new MicError('denied', message);
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError') return new MicError('notFound', message);
  return new MicError('other', message);
}

export interface MicrophoneOptions {
  context: AudioContext;
  /** One raw Opus packet (20 ms) and the performance.now() time its frame was captured. */
  onPacket?(packet: Uint8Array, capturedAtMs: number): void;
  /** Peak level 0..1 of the latest ~30 ms. */
  onLevel?(peak: number): void;
  onError?(e: Error): void;
  encoder?: 'webcodecs' | 'wasm';
  /** When given, encoded packets go to this port (the transport Worker) instead of onPacket. */
  packetPort?: MessagePort;
}

const loadedContexts = new WeakSet<BaseAudioContext>();

declare global {
  interface Window {
    /**
     * The capture clock: a sample the graph renders at context time c (s) is stamped captured at
     * c * 1000 + perfMinusContextMs (performance.now()). Tests that tap the microphone themselves
     * use it to land on the same clock.
     */
    __captureClock?: { perfMinusContextMs: number };
  }
}

/**
 * getUserMedia (echo cancellation, noise suppression, auto gain on) -> capture worklet -> (port) ->
 * capture Worker: resample to 48 kHz, 20 ms frames, Opus encode -> onPacket on the main thread.
 */
export class Microphone {
  private stream: MediaStream | null = null;
  private source: MediaStreamAudioSourceNode | null = null;
  private node: AudioWorkletNode | null = null;
  private sink: GainNode | null = null;
  private worker: Worker | null = null;
  private clockTimer: ReturnType<typeof setInterval> | null = null;
  private kind: 'webcodecs' | 'wasm' | null = null;

  constructor(private readonly opts: MicrophoneOptions) {}

  get running(): boolean {
    return this.stream !== null;
  }

  get encoderKind(): 'webcodecs' | 'wasm' | null {
    return this.kind;
  }

  async start(): Promise<void> {
    if (this.stream) return;
    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) throw new MicError('insecure', 'getUserMedia needs a secure context');
    const ctx = this.opts.context;
    try {
      const worker = new CaptureWorker();
      this.worker = worker;
      const channel = new MessageChannel();
      const ready = new Promise<void>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<CaptureWorkerOut>) => {
          const m = e.data;
          if (m.type === 'packet') {
            if (this.stream) this.opts.onPacket?.(m.data, m.capturedAtEpochMs - performance.timeOrigin);
          } else if (m.type === 'level') this.opts.onLevel?.(m.peak);
          else if (m.type === 'ready') {
            this.kind = m.encoder;
            resolve();
          } else if (m.type === 'error') {
            const err = m.name === 'EncoderUnsupportedError' ? new EncoderUnsupportedError(m.message) : Object.assign(new Error(m.message), { name: m.name });
            reject(err);
            this.opts.onError?.(err);
          }
        };
        worker.onerror = (e) => reject(new Error(e.message || 'capture worker failed'));
      });
      const packetPort = this.opts.packetPort;
      worker.postMessage(
        { type: 'init', port: channel.port2, contextRate: ctx.sampleRate, encoder: this.opts.encoder ?? 'webcodecs', ...(packetPort ? { packetPort } : {}) } satisfies CaptureWorkerIn,
        packetPort ? [channel.port2, packetPort] : [channel.port2],
      );
      if (!loadedContexts.has(ctx)) {
        await ctx.audioWorklet.addModule(captureWorkletUrl);
        loadedContexts.add(ctx);
      }
      await ready;
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 },
      });
      if (ctx.state === 'suspended') await ctx.resume().catch(() => undefined);
      this.source = ctx.createMediaStreamSource(this.stream);
      this.node = new AudioWorkletNode(ctx, 'va-capture', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit' });
      this.node.port.postMessage({ type: 'data-port', port: channel.port1 }, [channel.port1]);
    } catch (e) {
      this.stop();
      throw classifyMicError(e);
    }
    // The worker has no AudioContext: keep it told how context time maps to wall-clock time.
    const sendClock = () => {
      const t = ctx.currentTime;
      const epochMinusContextMs = performance.timeOrigin + contextTimeToPerf(ctx, t) - t * 1000;
      this.worker?.postMessage({ type: 'clock', epochMinusContextMs } satisfies CaptureWorkerIn);
      window.__captureClock = { perfMinusContextMs: epochMinusContextMs - performance.timeOrigin };
    };
    sendClock();
    this.clockTimer = setInterval(sendClock, 1000);
    // The worklet must be pulled by the graph: route it to a muted sink.
    this.sink = ctx.createGain();
    this.sink.gain.value = 0;
    this.source.connect(this.node).connect(this.sink).connect(ctx.destination);
    this.stream.getAudioTracks()[0]?.addEventListener('ended', () => {
      this.opts.onError?.(new MicError('notFound', 'the microphone was disconnected'));
      this.stop();
    });
  }

  stop(): void {
    this.node?.port.postMessage({ type: 'stop' });
    this.node?.disconnect();
    this.source?.disconnect();
    this.sink?.disconnect();
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    if (this.clockTimer) clearInterval(this.clockTimer);
    this.worker?.postMessage({ type: 'stop' } satisfies CaptureWorkerIn);
    const worker = this.worker;
    setTimeout(() => worker?.terminate(), 200);
    this.node = null;
    this.source = null;
    this.sink = null;
    this.stream = null;
    this.worker = null;
    this.clockTimer = null;
    this.opts.onLevel?.(0);
  }
}
