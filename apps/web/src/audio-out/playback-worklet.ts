/**
 * AudioWorklet playback processor: a FIFO of PCM chunks (already at the context rate) played back
 * to back. Chunks come straight from the playback Worker over a dedicated MessagePort, so the main
 * thread (busy rendering WebGL) is not on the audio path. Control and events use `this.port`:
 * when each chunk's first sample is rendered, per-segment progress about every 200 ms, the end of
 * each segment, and on `flush` it stops within one render quantum and reports what was played.
 */
export {};

declare const sampleRate: number;
declare const currentTime: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, ctor: new (options?: unknown) => AudioWorkletProcessor): void;

type Chunk =
  | { type: 'chunk'; id: number; segmentId: number; turnId: string; arrivedAtMs: number | null; timing: unknown; samples: Float32Array }
  | { type: 'end'; segmentId: number; turnId: string };
type Control = { type: 'data-port'; port: MessagePort } | { type: 'flush'; turnIds: string[] | null };

/** Cushion to rebuild after running dry; grows with each dry spell (bursty delivery), capped. */
const REBUFFER_MIN_S = 0.06;
const REBUFFER_STEP_S = 0.03;
const REBUFFER_MAX_S = 0.24;
const START_S = 0.25;

class PlaybackProcessor extends AudioWorkletProcessor {
  private readonly queue: Chunk[] = [];
  private offset = 0;
  private readonly played = new Map<number, number>();
  private readonly dropped = new Set<string>();
  private sinceProgress = 0;
  private playing = false;
  /** Render quanta that ran dry while a segment was still incomplete (audible gaps). */
  private underruns = 0;
  private openSegment: number | null = null;
  /** After running dry mid-segment, wait for a small cushion instead of stuttering packet by packet. */
  private rebuffering = false;
  private queuedSamples = 0;
  private drySpells = 0;
  /** Dry spells that began within START_MS of a segment's start (a start with too little buffered). */
  private startDrySpells = 0;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent<Control>) => {
      const msg = e.data;
      if (msg.type === 'data-port') msg.port.onmessage = (d: MessageEvent<Chunk | Control>) => (d.data.type === 'flush' ? this.flush(d.data.turnIds) : d.data.type === 'data-port' ? undefined : this.enqueue(d.data));
      else if (msg.type === 'flush') this.flush(msg.turnIds);
    };
  }

  private enqueue(chunk: Chunk): void {
    if (this.dropped.has(chunk.turnId)) return;
    this.queue.push(chunk);
    if (chunk.type === 'chunk') this.queuedSamples += chunk.samples.length;
  }

  private flush(turnIds: string[] | null): void {
    const played: Record<number, number> = {};
    for (const [seg, n] of this.played) played[seg] = n;
    for (const c of this.queue) if (!(c.segmentId in played)) played[c.segmentId] = 0;
    for (const t of turnIds ?? []) this.dropped.add(t);
    if (this.dropped.size > 64) this.dropped.delete(this.dropped.values().next().value as string);
    this.queue.length = 0;
    this.queuedSamples = 0;
    this.rebuffering = false;
    this.offset = 0;
    this.played.clear();
    this.openSegment = null;
    this.port.postMessage({ type: 'cleared', played, turnIds });
    this.setPlaying(false);
  }

  private setPlaying(on: boolean): void {
    if (on === this.playing) return;
    this.playing = on;
    this.port.postMessage({ type: on ? 'playing' : 'idle', contextTime: currentTime });
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]?.[0];
    if (!out) return true;
    let written = 0;
    let current: number | null = null;
    const cushion = Math.min(REBUFFER_MAX_S, REBUFFER_MIN_S + REBUFFER_STEP_S * Math.max(0, this.drySpells - 1));
    if (this.rebuffering && (this.queuedSamples >= sampleRate * cushion || this.queue.some((c) => c.type === 'end'))) this.rebuffering = false;
    while (written < out.length && !this.rebuffering) {
      const head = this.queue[0];
      if (!head) break;
      if (head.type === 'end') {
        this.queue.shift();
        this.port.postMessage({ type: 'finished', segmentId: head.segmentId, turnId: head.turnId, playedSamples: this.played.get(head.segmentId) ?? 0 });
        this.played.delete(head.segmentId);
        if (this.openSegment === head.segmentId) this.openSegment = null;
        continue;
      }
      if (this.offset === 0) {
        this.port.postMessage({ type: 'started', id: head.id, segmentId: head.segmentId, turnId: head.turnId, arrivedAtMs: head.arrivedAtMs, timing: head.timing, contextTime: currentTime + written / sampleRate });
      }
      const take = Math.min(out.length - written, head.samples.length - this.offset);
      out.set(head.samples.subarray(this.offset, this.offset + take), written);
      written += take;
      this.offset += take;
      this.queuedSamples -= take;
      current = head.segmentId;
      this.openSegment = head.segmentId;
      this.played.set(head.segmentId, (this.played.get(head.segmentId) ?? 0) + take);
      if (this.offset >= head.samples.length) {
        this.queue.shift();
        this.offset = 0;
      }
    }
    if (written < out.length) {
      out.fill(0, written);
      if (this.openSegment !== null) {
        this.underruns++;
        if (!this.rebuffering) {
          this.drySpells++;
          const played = this.played.get(this.openSegment) ?? 0;
          if (played < sampleRate * START_S) this.startDrySpells++;
          this.port.postMessage({ type: 'dry', segmentId: this.openSegment, playedSamples: played, contextTime: currentTime });
        }
        this.rebuffering = true;
      }
    }
    for (let c = 1; c < (outputs[0]?.length ?? 0); c++) outputs[0]?.[c]?.set(out);
    this.setPlaying(written > 0);
    this.sinceProgress += out.length;
    if (current !== null && this.sinceProgress >= sampleRate * 0.2) {
      this.sinceProgress = 0;
      this.port.postMessage({ type: 'progress', segmentId: current, playedSamples: this.played.get(current) ?? 0, underruns: this.underruns, drySpells: this.drySpells, startDrySpells: this.startDrySpells });
    }
    return true;
  }
}

registerProcessor('va-playback', PlaybackProcessor);
