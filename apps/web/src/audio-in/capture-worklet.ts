/**
 * AudioWorklet capture processor: copies the first input channel and posts it to the main thread
 * in batches of ~10 ms with the context time of the batch's last sample, plus its peak level.
 * Runs in the AudioWorkletGlobalScope (no imports, no DOM).
 */
export {};

declare const sampleRate: number;
declare const currentTime: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, ctor: new (options?: unknown) => AudioWorkletProcessor): void;

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly batch = new Float32Array(Math.max(128, Math.round(sampleRate / 100 / 128) * 128));
  private fill = 0;
  private stopped = false;
  /** PCM goes straight to the capture Worker when it has sent its port (off the main thread). */
  private out: MessagePort = this.port;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent<{ type: string; port?: MessagePort }>) => {
      if (e.data.type === 'stop') this.stopped = true;
      if (e.data.type === 'data-port' && e.data.port) this.out = e.data.port;
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.stopped) return false;
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    let offset = 0;
    while (offset < channel.length) {
      const take = Math.min(this.batch.length - this.fill, channel.length - offset);
      this.batch.set(channel.subarray(offset, offset + take), this.fill);
      this.fill += take;
      offset += take;
      if (this.fill === this.batch.length) {
        const samples = this.batch.slice();
        let peak = 0;
        for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i] as number));
        const endTime = currentTime + offset / sampleRate;
        this.out.postMessage({ type: 'pcm', samples, contextTime: endTime, peak }, [samples.buffer]);
        this.fill = 0;
      }
    }
    return true;
  }
}

registerProcessor('va-capture', CaptureProcessor);
