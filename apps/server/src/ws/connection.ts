import type { WebSocket } from 'ws';
import {
  ERROR_CODES,
  FrameError,
  FrameKind,
  HANDSHAKE_TIMEOUT_MS,
  MAX_AUDIO_FRAME_BYTES,
  MIC_AUDIO,
  PROTOCOL_VERSION,
  TTS_AUDIO,
  decodeFrame,
  encodeFrame,
  parseClientMessage,
  type AudioFrame,
  type ClientMessage,
  type ErrorCode,
  type ServerMessage,
  type SessionLanguage,
} from '@va/protocol';
import type { Logger, SessionOutput, VoiceSession } from '@va/pipeline';
import { tokenMatches } from './auth.ts';

/** Audio is dropped (never control events) once this much is waiting in the socket. */
export const AUDIO_HIGH_WATER_BYTES = 256 * 1024;
/** A client this far behind is not reading at all: the connection is closed. */
export const HARD_LIMIT_BYTES = 8 * 1024 * 1024;

export interface ConnectionDeps {
  sessionId: string;
  appToken: string;
  isMock: () => boolean;
  idleTimeoutMs: number;
  logger: Logger;
  /** `hello.language` to the session language; what voice input understands. */
  languages: {
    sessionLanguage(tag: string | undefined): SessionLanguage;
    voiceInput: Record<SessionLanguage, boolean>;
  };
  /**
   * Returns the session for this id, creating it on first use; takes it over from another socket.
   * Null when the server holds as many sessions as it allows.
   */
  claimSession: (sessionId: string, connection: Connection, language: SessionLanguage) => VoiceSession | null;
  releaseSession: (sessionId: string, connection: Connection) => void;
  onAudioDropped: () => void;
}

/** One WebSocket: handshake, two lanes (JSON control / binary audio), bounded sending. */
export class Connection implements SessionOutput {
  private session: VoiceSession | null = null;
  private readonly log: Logger;
  private handshakeTimer: NodeJS.Timeout | null;
  private lastSlowWarning = 0;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: ConnectionDeps,
  ) {
    this.log = deps.logger;
    this.handshakeTimer = setTimeout(() => this.fail('handshake_timeout', 'No hello within 5 s.'), HANDSHAKE_TIMEOUT_MS);
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('close', (code) => this.onClose(code));
    ws.on('error', (err) => this.log.warn({ err: { name: err.name, message: err.message } }, 'websocket error'));
  }

  sendEvent(message: ServerMessage): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > HARD_LIMIT_BYTES) {
      this.log.warn({ buffered: this.ws.bufferedAmount }, 'client stopped reading; closing');
      this.ws.terminate();
      return;
    }
    this.ws.send(JSON.stringify(message));
  }

  sendAudio(frame: AudioFrame): boolean {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return false;
    if (this.ws.bufferedAmount > AUDIO_HIGH_WATER_BYTES) {
      this.deps.onAudioDropped();
      const now = Date.now();
      if (now - this.lastSlowWarning > 5000) {
        this.lastSlowWarning = now;
        this.sendError('client_too_slow', 'The connection is too slow; some audio was dropped.', null);
      }
      return false;
    }
    this.ws.send(encodeFrame(frame), { binary: true });
    return true;
  }

  sendError(code: ErrorCode, message: string, turnId: string | null): void {
    this.sendEvent({ type: 'error', code, message, retryable: ERROR_CODES[code].retryable, turn_id: turnId });
  }

  /** Ends the connection with the error's close code. */
  fail(code: ErrorCode, message: string): void {
    this.sendError(code, message, null);
    const close = ERROR_CODES[code].close ?? 1008;
    this.close(close, code);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.ws.close(code, reason.slice(0, 120));
    this.onClose(code);
  }

  /** Server shutdown: `session.end {reason: "shutdown"}` and close 1001 now; resolves when the socket is closed (cut after `graceMs`). */
  shutdown(graceMs: number): Promise<void> {
    const ws = this.ws;
    if (ws.readyState === ws.CLOSED) return Promise.resolve();
    const closed = new Promise<void>((resolve) => {
      const cut = setTimeout(() => ws.terminate(), graceMs);
      ws.once('close', () => {
        clearTimeout(cut);
        resolve();
      });
    });
    this.sendEvent({ type: 'session.end', reason: 'shutdown' });
    this.close(1001, 'shutdown');
    return closed;
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    if (!this.session) {
      if (isBinary) return this.fail('handshake_required', 'Send hello before audio.');
      const parsed = parseClientMessage(data.toString('utf8'));
      if (!parsed.ok) return this.fail('handshake_required', `Expected hello: ${parsed.error}`);
      if (parsed.value.type !== 'hello') return this.fail('handshake_required', `Expected hello, got ${parsed.value.type}.`);
      return this.onHello(parsed.value);
    }
    if (isBinary) return this.onAudio(data);
    const parsed = parseClientMessage(data.toString('utf8'));
    if (!parsed.ok) return this.sendError('bad_message', parsed.error, null);
    this.onControl(parsed.value);
  }

  private onHello(hello: Extract<ClientMessage, { type: 'hello' }>): void {
    if (hello.protocol_version !== PROTOCOL_VERSION) {
      return this.fail('unsupported_protocol_version', `This server speaks protocol ${PROTOCOL_VERSION}.`);
    }
    if (!tokenMatches(hello.token, this.deps.appToken)) return this.fail('unauthorized', 'Wrong app token.');
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
    const { languages } = this.deps;
    const language = languages.sessionLanguage(hello.language);
    this.session = this.deps.claimSession(this.deps.sessionId, this, language);
    if (!this.session) return this.fail('server_full', 'The server is at its session limit; try again later.');
    this.session.attach(this);
    this.sendEvent({
      type: 'ready',
      protocol_version: PROTOCOL_VERSION,
      session_id: this.deps.sessionId,
      is_mock: this.deps.isMock(),
      audio_in: { codec: 'opus', sample_rate: MIC_AUDIO.sampleRate, channels: MIC_AUDIO.channels, frame_ms: MIC_AUDIO.frameMs },
      audio_out: { codec: 'opus', sample_rate: TTS_AUDIO.sampleRate, channels: TTS_AUDIO.channels, frame_ms: TTS_AUDIO.frameMs },
      idle_timeout_ms: this.deps.idleTimeoutMs,
      language,
      voice_input: languages.voiceInput,
      history: this.session.historyForClient,
    });
    this.sendEvent({ type: 'state', state: this.session.currentState, turn_id: null });
    this.log.info({ client: hello.client?.name ?? null, language }, 'session ready');
  }

  private onAudio(data: Buffer): void {
    let frame: AudioFrame;
    try {
      frame = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), MAX_AUDIO_FRAME_BYTES);
    } catch (error) {
      const message = error instanceof FrameError ? error.message : 'bad frame';
      return this.sendError('bad_audio_frame', message, null);
    }
    if (frame.kind !== FrameKind.micOpus) return this.sendError('bad_audio_frame', 'Only mic audio frames (kind 1) may be sent.', null);
    void this.session!.pushAudio(frame.seq, frame.payload);
  }

  private onControl(message: ClientMessage): void {
    const session = this.session!;
    switch (message.type) {
      case 'hello':
        return this.sendError('bad_message', 'hello was already received.', null);
      case 'text.input':
        session.textInput(message.text, message.client_msg_id);
        return;
      case 'audio.end':
        return session.audioEnd();
      case 'interrupt':
        return session.interrupt();
      case 'playback.progress':
      case 'playback.stopped':
        return session.playbackReport(message.turn_id, message.segment_id, message.played_ms);
      case 'ping':
        return this.sendEvent({ type: 'pong', t: message.t, server_t: Date.now() });
    }
  }

  private onClose(code: number): void {
    if (this.closed) return;
    this.closed = true;
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    if (this.session) {
      this.session.detach(this);
      this.deps.releaseSession(this.deps.sessionId, this);
    }
    this.log.info({ code }, 'connection closed');
  }
}
