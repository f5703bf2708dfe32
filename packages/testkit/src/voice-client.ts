import WebSocket from 'ws';
import {
  FLAG_LAST,
  FrameKind,
  PROTOCOL_VERSION,
  decodeFrame,
  encodeFrame,
  parseServerMessage,
  type ClientMessage,
  type ServerMessage,
  type ServerMessageOf,
  type ServerMessageType,
} from '@va/protocol';
import { StreamingResampler, concatPcm, createOpusDecoder, createOpusEncoder } from '@va/pipeline';

export interface TimedEvent {
  at: number;
  message: ServerMessage;
}

export interface ReceivedAudio {
  segment: number;
  seq: number;
  last: boolean;
  at: number;
  payload: Uint8Array;
}

export interface ConnectOptions {
  origin?: string;
  /** Send hello and wait for ready (default true). */
  hello?: boolean;
  /** hello.language (BCP-47), e.g. "en" or "ja". */
  language?: string;
  clientName?: string;
}

/**
 * A protocol client that behaves like the browser: hello/ready, 20 ms Opus mic packets at real
 * time, playback reports. Records every event and audio frame with its arrival time
 * (performance.now()), and the send time of every mic packet, for latency figures.
 */
export class VoiceClient {
  readonly events: TimedEvent[] = [];
  readonly audio: ReceivedAudio[] = [];
  /** seq -> performance.now() when the packet was sent */
  readonly sentAt = new Map<number, number>();
  private seq = 0;
  private waiters: Array<() => void> = [];
  closeCode: number | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const at = performance.now();
      if (isBinary) {
        const f = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        this.audio.push({ segment: f.segment, seq: f.seq, last: (f.flags & FLAG_LAST) !== 0, at, payload: f.payload.slice() });
      } else {
        const parsed = parseServerMessage(data.toString('utf8'));
        if (!parsed.ok) throw new Error(`server sent an invalid message: ${parsed.error}`);
        this.events.push({ at, message: parsed.value });
      }
      this.waiters.splice(0).forEach((w) => w());
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  static async connect(baseUrl: string, sessionId: string, token: string, opts: ConnectOptions = {}): Promise<VoiceClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/ws/session/${sessionId}`;
    const ws = new WebSocket(url, opts.origin ? { origin: opts.origin } : {});
    const client = new VoiceClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    });
    if (opts.hello !== false) {
      client.send({
        type: 'hello',
        protocol_version: PROTOCOL_VERSION,
        token,
        client: { name: opts.clientName ?? 'voice-client', version: '1' },
        ...(opts.language ? { language: opts.language } : {}),
      });
      await client.waitFor('ready', 10_000);
    }
    return client;
  }

  send(message: ClientMessage): void {
    this.ws.send(JSON.stringify(message));
  }

  sendRaw(data: string | Uint8Array): void {
    this.ws.send(data);
  }

  /** Streams 16 kHz PCM as 20 ms Opus packets, paced at real time (speed 1) or faster. */
  async streamSpeech(pcm16k: Int16Array, opts: { speed?: number; signal?: AbortSignal } = {}): Promise<void> {
    const speed = opts.speed ?? 1;
    const up = new StreamingResampler(16_000, 48_000);
    const pcm48 = concatPcm([up.process(pcm16k), up.flush()]);
    const encoder = createOpusEncoder({ sampleRate: 48_000, channels: 1, bitrate: 32_000, frameMs: 20, application: 'voip' });
    const frame = 960;
    const t0 = performance.now();
    try {
      for (let i = 0, n = 0; i < pcm48.length; i += frame, n++) {
        if (opts.signal?.aborted || this.ws.readyState !== WebSocket.OPEN) return;
        const chunk = new Int16Array(frame);
        chunk.set(pcm48.subarray(i, Math.min(i + frame, pcm48.length)));
        const due = t0 + (n * 20) / speed;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const seq = this.seq++;
        this.ws.send(encodeFrame({ kind: FrameKind.micOpus, flags: 0, segment: 0, seq, payload: encoder.encode(chunk) }));
        this.sentAt.set(seq, performance.now());
      }
    } finally {
      encoder.destroy();
    }
  }

  /** The seq the next mic packet will carry. */
  get nextSeq(): number {
    return this.seq;
  }

  eventsOf<T extends ServerMessageType>(type: T, since = 0): Array<TimedEvent & { message: ServerMessageOf<T> }> {
    return this.events.filter((e) => e.at >= since && e.message.type === type) as Array<TimedEvent & { message: ServerMessageOf<T> }>;
  }

  async waitFor<T extends ServerMessageType>(
    type: T,
    timeoutMs: number,
    pred: (m: ServerMessageOf<T>) => boolean = () => true,
    since = 0,
  ): Promise<TimedEvent & { message: ServerMessageOf<T> }> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const hit = this.eventsOf(type, since).find((e) => pred(e.message));
      if (hit) return hit;
      if (this.closeCode !== null) throw new Error(`socket closed (${this.closeCode}) while waiting for ${type}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${type}; got: ${this.events.map((e) => e.message.type).join(',')}`);
      await this.nextArrival(left);
    }
  }

  /** Resolves at the next message, frame or close, or after `ms`. */
  private nextArrival(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Waits for the first TTS audio frame that arrives at or after `since` (performance.now()). */
  async waitForAudio(timeoutMs: number, since = 0): Promise<ReceivedAudio> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const hit = this.audio.find((a) => a.at >= since);
      if (hit) return hit;
      if (this.closeCode !== null) throw new Error(`socket closed (${this.closeCode}) while waiting for TTS audio`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for TTS audio; got: ${this.events.map((e) => e.message.type).join(',')}`);
      await this.nextArrival(left);
    }
  }

  /** Decodes the received TTS audio of a turn's segments to 48 kHz PCM. */
  decodeAudio(segments?: number[]): Int16Array {
    const decoder = createOpusDecoder({ sampleRate: 48_000, channels: 1 });
    const frames = this.audio.filter((a) => !segments || segments.includes(a.segment)).sort((a, b) => a.segment - b.segment || a.seq - b.seq);
    const out = frames.map((f) => decoder.decode(f.payload));
    decoder.destroy();
    return concatPcm(out);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
      setTimeout(resolve, 2000).unref();
    });
  }
}
