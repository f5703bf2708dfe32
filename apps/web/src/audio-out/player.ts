import { audibleAtMs, contextTiming } from './playout-clock.ts';
import type { ChunkTiming, PlaybackWorkerIn, PlaybackWorkerStats } from './playback-worker.ts';
import playbackWorkletUrl from './playback-worklet.ts?worker&url';
import PlaybackWorker from './playback-worker.ts?worker';

export interface PlayerEvents {
  /**
   * A segment's first sample leaves the speakers at `atMs` (performance.now(); output latency
   * included); `packetArrivedAtMs`: when its first packet reached the page (null: a lost packet's silence).
   */
  onSegmentAudible?(turnId: string, segmentId: number, atMs: number, packetArrivedAtMs: number | null): void;
  onProgress?(turnId: string, segmentId: number, playedMs: number): void;
  onStopped?(turnId: string, segmentId: number, playedMs: number, reason: 'finished' | 'cleared'): void;
  /** A TTS packet's arrival -> its first sample rendered. */
  onReceiveToAudible?(ms: number): void;
  onPlayingChange?(playing: boolean): void;
}

export interface PlaybackDebug {
  /** Highest level the AnalyserNode on the playback path has seen. */
  peak: number;
  level: number;
  playedSegments: number;
  playing: boolean;
  /** Render quanta that ran dry mid-segment (audible gaps). */
  underruns: number;
  /** Times playback ran dry mid-segment (each a gap of one or more quanta)... */
  drySpells: number;
  /** ...of which within 250 ms of a segment's start (too little buffered before it started). */
  startDrySpells: number;
  /** The latest dry spells: where in which segment playback ran dry (ms played of it). */
  dryLog: { segmentId: number; playedMs: number; atMs: number }[];
  packets: number;
  /** Packets replaced by silence (lost or too late). */
  gaps: number;
  /** Current volume (1, or the level of a `playback.duck`). */
  volume: number;
  /** Where each segment's first packet spent its time from arrival to audible (the latest 100). */
  firstChunks: FirstChunkTiming[];
}

/** One segment's first packet, arrival -> audible, in ms per step. */
export interface FirstChunkTiming {
  turnId: string;
  segmentId: number;
  /** transport Worker -> playback Worker */
  handoffMs: number;
  /** held by the jitter buffer */
  jitterMs: number;
  /** decoder (new per segment), decode, resample, post */
  decodeMs: number;
  /** posted -> rendered by the worklet (its queue and the render quantum) */
  renderMs: number;
  /** rendered -> out of the speakers (the context's buffering and the output latency) */
  outputMs: number;
  totalMs: number;
}

declare global {
  interface Window {
    __playbackDebug?: PlaybackDebug;
  }
}

type WorkletEvent =
  | { type: 'started'; id: number; segmentId: number; turnId: string; arrivedAtMs: number | null; timing: ChunkTiming | null; contextTime: number }
  | { type: 'dry'; segmentId: number; playedSamples: number; contextTime: number }
  | { type: 'progress'; segmentId: number; playedSamples: number; underruns: number; drySpells: number; startDrySpells: number }
  | { type: 'finished'; segmentId: number; turnId: string; playedSamples: number }
  | { type: 'cleared'; played: Record<number, number>; turnIds: string[] | null }
  | { type: 'playing' | 'idle'; contextTime: number };

/**
 * TTS playback. Frames go to a Worker (jitter buffer, Opus decode, resample to the context rate)
 * that feeds an AudioWorklet FIFO directly; the worklet output passes an AnalyserNode (lip sync)
 * to the speakers. The main thread only forwards frames and handles events.
 */
export class Player {
  readonly analyser: AnalyserNode;
  private readonly volume: GainNode;
  readonly debug: PlaybackDebug = { peak: 0, level: 0, playedSegments: 0, playing: false, underruns: 0, drySpells: 0, startDrySpells: 0, dryLog: [], packets: 0, gaps: 0, volume: 1, firstChunks: [] };
  private readonly segments = new Map<number, { turnId: string; audible: boolean }>();
  private readonly clearedTurns = new Set<string>();
  private readonly worker: Worker;
  private node: AudioWorkletNode | null = null;
  private meter: ReturnType<typeof setInterval> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private playing = false;
  private readonly buf: Float32Array<ArrayBuffer>;

  private constructor(
    private readonly ctx: AudioContext,
    private readonly events: PlayerEvents,
  ) {
    this.analyser = ctx.createAnalyser();
    this.volume = ctx.createGain();
    this.analyser.fftSize = 2048;
    this.analyser.smoothingTimeConstant = 0.5;
    this.buf = new Float32Array(this.analyser.fftSize);
    this.worker = new PlaybackWorker();
    this.worker.onmessage = (e: MessageEvent<PlaybackWorkerStats>) => {
      this.debug.packets = e.data.packets;
      this.debug.gaps = e.data.gaps;
    };
    window.__playbackDebug = this.debug;
  }

  /** `framesPort`: where the transport Worker delivers frames and tts control (see transport-worker.ts). */
  static async create(ctx: AudioContext, events: PlayerEvents, framesPort?: MessagePort): Promise<Player> {
    const player = new Player(ctx, events);
    if (framesPort) player.post({ type: 'frames-port', port: framesPort }, [framesPort]);
    await ctx.audioWorklet.addModule(playbackWorkletUrl);
    const node = new AudioWorkletNode(ctx, 'va-playback', { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
    node.port.onmessage = (e: MessageEvent<WorkletEvent>) => player.onWorklet(e.data);
    const channel = new MessageChannel();
    node.port.postMessage({ type: 'data-port', port: channel.port1 }, [channel.port1]);
    player.post({ type: 'init', port: channel.port2, contextRate: ctx.sampleRate, mainTimeOrigin: performance.timeOrigin }, [channel.port2]);
    // the analyser (lip sync) sees the voice before the volume: the mouth keeps moving while ducked
    node.connect(player.analyser).connect(player.volume).connect(ctx.destination);
    player.node = node;
    player.meter = setInterval(() => player.measure(), 25);
    return player;
  }

  /** Remembers a segment announced by tts.start, so it is reported even if cleared before it plays. */
  noteSegment(turnId: string, segmentId: number): void {
    if (!this.segments.has(segmentId) && !this.clearedTurns.has(turnId)) this.segments.set(segmentId, { turnId, audible: false });
  }

  /** Frames/control arrive from the transport Worker unless this is used (tests, no transport). */
  push(msg: PlaybackWorkerIn, transfer: Transferable[] = []): void {
    this.post(msg, transfer);
  }

  /** The avatar's volume (0-1), ramped over ~10 ms: `playback.duck` lowers it while the user may be taking the turn. */
  setVolume(level: number): void {
    const v = Math.min(1, Math.max(0, Number.isFinite(level) ? level : 1));
    this.volume.gain.setTargetAtTime(v, this.ctx.currentTime, 0.01);
    this.debug.volume = v;
  }

  /** Stops within one render quantum and drops queued audio (of one turn, or everything). */
  clear(turnId?: string): void {
    const turnIds = turnId !== undefined ? [turnId] : [...new Set([...this.segments.values()].map((s) => s.turnId))];
    for (const t of turnIds) this.clearedTurns.add(t);
    // Straight to the worklet (stop now), then to the worker (drop what is still queued there).
    this.node?.port.postMessage({ type: 'flush', turnIds: turnId !== undefined ? turnIds : null });
    this.post({ type: 'clear', turnIds: turnId !== undefined ? turnIds : null });
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  dispose(): void {
    this.clear();
    if (this.meter) clearInterval(this.meter);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.node?.disconnect();
    this.worker.terminate();
  }

  private post(msg: PlaybackWorkerIn, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  private onWorklet(msg: WorkletEvent): void {
    const msPerSample = 1000 / this.ctx.sampleRate;
    switch (msg.type) {
      case 'started': {
        const now = performance.now();
        const timing = contextTiming(this.ctx);
        const at = audibleAtMs(msg.contextTime, timing, now);
        if (msg.arrivedAtMs !== null) this.events.onReceiveToAudible?.(Math.max(0, at - msg.arrivedAtMs));
        if (msg.timing && msg.arrivedAtMs !== null) this.noteFirstChunk(msg, msg.timing, msg.arrivedAtMs, at, now - (timing.currentTime - msg.contextTime) * 1000);
        const seg = this.segments.get(msg.segmentId) ?? { turnId: msg.turnId, audible: false };
        if (!seg.audible) {
          seg.audible = true;
          this.segments.set(msg.segmentId, seg);
          this.debug.playedSegments++;
          this.events.onSegmentAudible?.(seg.turnId || msg.turnId, msg.segmentId, at, msg.arrivedAtMs);
        }
        return;
      }
      case 'dry':
        this.debug.dryLog.push({ segmentId: msg.segmentId, playedMs: Math.round(msg.playedSamples * msPerSample), atMs: Math.round(audibleAtMs(msg.contextTime, contextTiming(this.ctx), performance.now())) });
        if (this.debug.dryLog.length > 50) this.debug.dryLog.shift();
        return;
      case 'progress': {
        this.debug.underruns = msg.underruns;
        this.debug.drySpells = msg.drySpells;
        this.debug.startDrySpells = msg.startDrySpells;
        const turnId = this.segments.get(msg.segmentId)?.turnId;
        if (turnId) this.events.onProgress?.(turnId, msg.segmentId, msg.playedSamples * msPerSample);
        return;
      }
      case 'finished': {
        const turnId = this.segments.get(msg.segmentId)?.turnId || msg.turnId;
        this.segments.delete(msg.segmentId);
        if (turnId) this.events.onStopped?.(turnId, msg.segmentId, msg.playedSamples * msPerSample, 'finished');
        return;
      }
      case 'cleared': {
        for (const t of msg.turnIds ?? []) this.clearedTurns.add(t);
        for (const [segmentId, seg] of [...this.segments]) {
          if (msg.turnIds !== null && !msg.turnIds.includes(seg.turnId) && !(segmentId in msg.played)) continue;
          this.segments.delete(segmentId);
          if (seg.turnId) this.events.onStopped?.(seg.turnId, segmentId, (msg.played[segmentId] ?? 0) * msPerSample, 'cleared');
        }
        this.setPlaying(false);
        return;
      }
      case 'playing':
        this.setPlaying(true);
        return;
      case 'idle':
        this.setPlaying(false);
        return;
    }
  }

  private noteFirstChunk(msg: { turnId: string; segmentId: number }, t: ChunkTiming, arrivedAtMs: number, audibleAt: number, renderedAt: number): void {
    const r = (v: number) => Math.round(v * 10) / 10;
    const rendered = Math.min(audibleAt, Math.max(t.postedAtMs, renderedAt));
    this.debug.firstChunks.push({
      turnId: this.segments.get(msg.segmentId)?.turnId || msg.turnId,
      segmentId: msg.segmentId,
      handoffMs: r(t.receivedAtMs - arrivedAtMs),
      jitterMs: r(t.releasedAtMs - t.receivedAtMs),
      decodeMs: r(t.postedAtMs - t.releasedAtMs),
      renderMs: r(rendered - t.postedAtMs),
      outputMs: r(audibleAt - rendered),
      totalMs: r(audibleAt - arrivedAtMs),
    });
    if (this.debug.firstChunks.length > 100) this.debug.firstChunks.shift();
  }

  private setPlaying(on: boolean): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (on) {
      if (!this.playing) {
        this.playing = this.debug.playing = true;
        this.events.onPlayingChange?.(true);
      }
      return;
    }
    // Debounce momentary underruns between chunks.
    this.idleTimer = setTimeout(() => {
      if (!this.playing) return;
      this.playing = this.debug.playing = false;
      this.events.onPlayingChange?.(false);
    }, 150);
  }

  private measure(): void {
    this.analyser.getFloatTimeDomainData(this.buf);
    let peak = 0;
    for (let i = 0; i < this.buf.length; i++) peak = Math.max(peak, Math.abs(this.buf[i] as number));
    this.debug.level = peak;
    this.debug.peak = Math.max(this.debug.peak, peak);
  }
}
