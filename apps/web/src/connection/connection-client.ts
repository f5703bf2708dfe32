import {
  decodeFrame,
  encodeMessage,
  FrameKind,
  MAX_AUDIO_FRAME_BYTES,
  parseServerMessage,
  PROTOCOL_VERSION,
  type AudioFrame,
  type ClientMessage,
  type ServerMessage,
} from '@va/protocol';
import { backoffDelay, FATAL_CLOSE_CODES } from './backoff.ts';

export type ConnectionStatus = 'connecting' | 'ready' | 'reconnecting' | 'closed' | 'failed';

export interface ConnectionOptions {
  /** ws(s)://host/ws/session/<id>; defaults from location. */
  url: string;
  token: string;
  language: string;
  onMessage(msg: ServerMessage): void;
  onAudio(frame: AudioFrame): void;
  onStatus(status: ConnectionStatus, detail?: { code?: number; reason?: string; attempt?: number }): void;
  /** Silence check: a ping every `pingMs` while ready. */
  pingMs?: number;
}

export function sessionUrl(sessionId: string, loc: Pick<Location, 'protocol' | 'host'> = location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws/session/${encodeURIComponent(sessionId)}`;
}

/**
 * One WebSocket to the session, with the hello/ready handshake, zod-validated incoming messages
 * (bad ones are logged and ignored), and automatic reconnect with exponential back-off that
 * resumes the same session id. Audio can only be sent while ready; it is dropped otherwise.
 */
export class ConnectionClient {
  private ws: WebSocket | null = null;
  private status: ConnectionStatus = 'closed';
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  /** Round-trip time of the last ping, ms. */
  rttMs: number | null = null;

  constructor(private readonly opts: ConnectionOptions) {}

  get state(): ConnectionStatus {
    return this.status;
  }

  get isReady(): boolean {
    return this.status === 'ready' && this.ws?.readyState === WebSocket.OPEN;
  }

  connect(): void {
    this.stopped = false;
    this.open();
  }

  close(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.stopPing();
    this.ws?.close(1000, 'client closed');
    this.ws = null;
    this.setStatus('closed');
  }

  send(msg: ClientMessage): boolean {
    if (!this.isReady) return false;
    this.ws!.send(encodeMessage(msg));
    return true;
  }

  sendBinary(bytes: Uint8Array): boolean {
    if (!this.isReady) return false;
    // Do not let audio pile up behind a slow link: drop when > ~1 s is buffered.
    if (this.ws!.bufferedAmount > 64 * 1024) return false;
    this.ws!.send(bytes);
    return true;
  }

  private open(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting', { attempt: this.attempt });
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.opts.url);
    } catch (e) {
      console.error('[connection] cannot open', e);
      this.setStatus('failed', { reason: String(e) });
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      ws.send(encodeMessage({ type: 'hello', protocol_version: PROTOCOL_VERSION, token: this.opts.token, language: this.opts.language, client: { name: 'va-web', version: '0.1.0' } }));
    };
    ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) => {
      if (ws !== this.ws) return;
      if (typeof e.data === 'string') this.onText(e.data);
      else this.onBinary(new Uint8Array(e.data));
    };
    ws.onclose = (e) => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.stopPing();
      if (this.stopped) return;
      if (FATAL_CLOSE_CODES.has(e.code)) {
        this.setStatus('failed', { code: e.code, reason: e.reason });
        return;
      }
      const delay = backoffDelay(this.attempt);
      this.attempt++;
      this.setStatus('reconnecting', { code: e.code, reason: e.reason, attempt: this.attempt });
      this.retryTimer = setTimeout(() => this.open(), delay);
    };
    ws.onerror = () => {
      // onclose follows with the details.
    };
  }

  private onText(text: string): void {
    const parsed = parseServerMessage(text);
    if (!parsed.ok) {
      console.warn('[connection] ignored a bad message:', parsed.error, text.slice(0, 200));
      return;
    }
    const msg = parsed.value;
    if (msg.type === 'ready') {
      this.attempt = 0;
      this.setStatus('ready');
      this.startPing();
    } else if (msg.type === 'pong') {
      this.rttMs = performance.now() - msg.t;
    }
    this.opts.onMessage(msg);
  }

  private onBinary(bytes: Uint8Array): void {
    try {
      const frame = decodeFrame(bytes, MAX_AUDIO_FRAME_BYTES * 4);
      if (frame.kind !== FrameKind.ttsOpus) throw new Error(`unexpected frame kind ${frame.kind}`);
      this.opts.onAudio(frame);
    } catch (e) {
      console.warn('[connection] ignored a bad audio frame:', e);
    }
  }

  private setStatus(status: ConnectionStatus, detail?: { code?: number; reason?: string; attempt?: number }): void {
    this.status = status;
    this.opts.onStatus(status, detail);
  }

  private startPing(): void {
    this.stopPing();
    const every = this.opts.pingMs ?? 15_000;
    this.pingTimer = setInterval(() => this.send({ type: 'ping', t: performance.now() }), every);
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }
}
