import type { ServerMessage } from '@va/protocol';
import type { EndpointEvent } from '../audio/endpointer.ts';
import type { SessionDeps } from '../session/types.ts';
import { MicInput, MIC_RATE } from './mic-input.ts';
import { PARTIAL_SILENCE_MS, SttScheduler, type FinalTranscript } from './stt-scheduler.ts';

/** A final transcript with where its turn starts on the clock. */
export interface HeardUtterance extends FinalTranscript {
  /** Clock time the packet holding the end of speech arrived: the turn's time zero. */
  speechEndAt: number;
  /** End of speech -> endpoint detected (ms): the end-of-turn silence we waited. */
  endpointMs: number;
}

export interface ListenerEvents {
  /** The VAD confirmed speech: a new utterance `turnId` begins at `atMs` of mic audio. */
  speechStart(turnId: string, atMs: number): void;
  /** After each VAD frame while the user speaks: speech so far in this utterance (ms). */
  speaking(spokenMs: number): void;
  /**
   * The user has been silent PARTIAL_SILENCE_MS and the utterance's text is known (settled
   * partial, then the early final): it is what will be answered unless the user speaks again.
   * `speechEndAt` is the clock time the silence began.
   */
  settled(turnId: string, text: string, from: 'partial' | 'final', speechEndAt: number): void;
  /** Speech resumed within the end-of-turn silence: what `settled` reported is not final. */
  resumed(turnId: string): void;
  /** End of turn with a final transcript. */
  heard(utterance: HeardUtterance): void;
  /** End of turn with nothing to answer (empty or failed final). */
  nothing(): void;
}

/**
 * The listening side: mic packets -> decode/VAD/endpointer (mic-input.ts) -> STT scheduling
 * (stt-scheduler.ts) -> utterances. Sends the `vad` and transcript events itself.
 */
export class Listener {
  readonly mic: MicInput;
  private readonly stt: SttScheduler;
  private speechStartMs: number | null = null;
  private settledTurn: string | null = null;
  private nextTurnId: () => string;

  constructor(
    private readonly deps: SessionDeps,
    private readonly send: (m: ServerMessage) => void,
    private readonly events: ListenerEvents,
    nextTurnId: () => string,
    sttLanguage: () => string,
  ) {
    this.nextTurnId = nextTurnId;
    const { config } = deps;
    this.mic = new MicInput(
      deps.createVad(),
      { endpointer: config.endpointer, maxSeconds: config.maxUtteranceSeconds, now: () => deps.clock.now() },
      {
        onEndpoint: (e) => this.onEndpoint(e),
        onAudioProgress: (endSample, silentMs) => this.onAudioProgress(endSample, silentMs),
        onProcessed: (lagMs) => deps.metrics?.observeMicLag?.(lagMs),
        onDiscontinuity: (seq, missing) => deps.logger.warn({ seq, missing }, 'mic packets missing beyond the wall time: skipped, not filled'),
        onDecodeError: (seq) =>
          send({ type: 'error', code: 'audio_decode_failed', message: `Opus packet ${seq} could not be decoded.`, retryable: false, turn_id: null }),
      },
    );
    const onSettled = (turnId: string, text: string, from: 'partial' | 'final', silenceStart: number) => {
      this.settledTurn = turnId;
      events.settled(turnId, text, from, this.mic.frameAt(silenceStart)?.arrivedAt ?? deps.clock.now());
    };
    this.stt = new SttScheduler({ ...deps, sttLanguage }, this.mic, send, onSettled);
  }

  /** An utterance is open and not yet being finalised. */
  get listening(): boolean {
    return this.stt.listening;
  }

  private onEndpoint(event: EndpointEvent): void {
    if (event.type === 'misfire') return;
    if (event.type === 'speech_start') {
      this.send({ type: 'vad', event: 'speech_start', audio_ms: event.atMs });
      this.speechStartMs = event.atMs;
      this.settledTurn = null;
      const turnId = this.nextTurnId();
      this.stt.startUtterance(turnId, Math.round(event.captureFromMs * (MIC_RATE / 1000)));
      this.events.speechStart(turnId, event.atMs);
      return;
    }
    this.send({ type: 'vad', event: 'speech_end', audio_ms: event.atMs });
    this.speechStartMs = null;
    this.settledTurn = null;
    const endSample = Math.round(event.atMs * (MIC_RATE / 1000));
    const speechEndAt = this.mic.frameAt(endSample)?.arrivedAt ?? this.deps.clock.now();
    const endpointMs = Math.round(Math.max(0, this.deps.clock.now() - speechEndAt));
    void this.stt.finalize(endSample, speechEndAt).then((final) => {
      if (final) this.events.heard({ ...final, speechEndAt, endpointMs });
      else this.events.nothing();
    });
  }

  private onAudioProgress(endSample: number, silentMs: number): void {
    if (this.speechStartMs !== null && this.mic.endpointerState === 'speaking') {
      this.events.speaking((endSample / MIC_RATE) * 1000 - this.speechStartMs);
    }
    if (this.settledTurn !== null && silentMs < PARTIAL_SILENCE_MS) {
      const turnId = this.settledTurn;
      this.settledTurn = null;
      this.events.resumed(turnId);
    }
    this.stt.onAudio(endSample, silentMs);
  }

  push(seq: number, packet: Uint8Array): Promise<void> {
    return this.mic.push(seq, packet);
  }

  /** The mic was switched off: end the utterance now. */
  finish(): void {
    this.mic.finish();
  }

  drain(): Promise<void> {
    return this.mic.drain();
  }

  close(): void {
    this.stt.close();
    this.mic.close();
  }
}
