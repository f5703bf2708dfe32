import type { ServerMessage } from '@va/protocol';
import type { EndpointEvent } from '../audio/endpointer.ts';
import type { SessionDeps } from '../session/types.ts';
import { MicInput, MIC_RATE } from './mic-input.ts';
import { PARTIAL_SILENCE_MS, SttScheduler, type FinalTranscript } from './stt-scheduler.ts';
import { classifyUtteranceEnd, endOfTurnSilenceMs } from './turn-end.ts';

/** Speech confirmed after two VAD frames while the avatar is ducked (see `confirmQuickly`). */
const QUICK_SPEECH_START_MS = 64;

/** Speech probability that counts as possible speech for ducking (the endpointer's silence threshold). */
const MAYBE_SPEECH = 0.35;

/** A final transcript with where its turn starts on the clock. */
export interface HeardUtterance extends FinalTranscript {
  /** Clock time the packet holding the end of speech arrived: the turn's time zero. */
  speechEndAt: number;
  /** End of speech -> endpoint detected (ms): the end-of-turn silence we waited. */
  endpointMs: number;
}

export interface ListenerEvents {
  /** The VAD heard a first frame of possible speech (not yet confirmed: it may be a misfire). */
  maybeSpeech?(): void;
  /** Possible speech turned out too short to be speech. */
  misfire?(): void;
  /** A packet's 16 kHz audio and its arrival time. */
  audio?(pcm16: Int16Array, arrivedAt: number): void;
  /**
   * The words of utterance `turnId` so far (each partial, then the final). `complete`: they cover
   * all its speech up to the current silence (the early final or the final; '' when the final was
   * empty or failed).
   */
  /** Words of the utterance; `heardUpTo`: clock time the last audio they cover arrived (null: unknown). */
  words?(turnId: string, text: string, complete: boolean, heardUpTo: number | null): void;
  /** A transcript of utterance `turnId` was non-speech marks only (a cough, [BLANK_AUDIO]: listen/non-speech.ts). */
  nonSpeech?(turnId: string, heardUpTo: number | null): void;
  /**
   * How soon the words of utterance `turnId` are wanted: `sooner` while speech over the avatar is
   * judged from them (partials every `bargeIn.partialIntervalMs`), `no` once it was judged the
   * avatar's echo or a backchannel (no partials: they would be shown to no one and decide nothing).
   */
  wordsWanted?(turnId: string): 'sooner' | 'usual' | 'no';
  /** The VAD confirmed speech: a new utterance `turnId` begins at `atMs` of mic audio. */
  speechStart(turnId: string, atMs: number): void;
  /** The utterance's speech ended (its final is on its way). */
  speechEnd?(turnId: string): void;
  /** After each VAD frame while the user speaks: speech so far in this utterance up to the current silence, and that silence (ms). */
  speaking(spokenMs: number, silentMs: number): void;
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
  /** End of turn with nothing to answer (empty or failed final) for utterance `turnId`. */
  nothing(turnId: string | null): void;
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
  private currentTurn: string | null = null;
  /** The latest words of the current utterance (partial, settled or early final). */
  private words: string | null = null;
  /** Whether `words` come from the early final (all the speech up to this silence) or a partial that may lag. */
  private wordsFinal = false;
  private wasTentative = false;
  private nextTurnId: () => string;

  constructor(
    private readonly deps: SessionDeps,
    send: (m: ServerMessage) => void,
    private readonly events: ListenerEvents,
    nextTurnId: () => string,
    sttLanguage: () => string,
  ) {
    this.nextTurnId = nextTurnId;
    this.send = (m) => {
      if ((m.type === 'transcript.partial' || m.type === 'transcript.final') && m.turn_id === this.currentTurn) {
        this.noteWords(m.turn_id, m.text, m.type === 'transcript.final', this.mic.arrivalOf(m.covers_seq));
      }
      send(m);
    };
    const { config } = deps;
    this.mic = new MicInput(
      deps.createVad(),
      { endpointer: config.endpointer, maxSeconds: config.maxUtteranceSeconds, now: () => deps.clock.now() },
      {
        onEndpoint: (e) => this.onEndpoint(e),
        onAudioProgress: (endSample, silentMs, p) => this.onAudioProgress(endSample, silentMs, p),
        onProcessed: (lagMs) => deps.metrics?.observeMicLag?.(lagMs),
        onDiscontinuity: (seq, missing) => deps.logger.warn({ seq, missing }, 'mic packets missing beyond the wall time: skipped, not filled'),
        onAudio: (pcm16, arrivedAt) => events.audio?.(pcm16, arrivedAt),
        onDecodeError: (seq) =>
          send({ type: 'error', code: 'audio_decode_failed', message: `Opus packet ${seq} could not be decoded.`, retryable: false, turn_id: null }),
      },
    );
    const onSettled = (turnId: string, text: string, from: 'partial' | 'final', silenceStart: number) => {
      this.settledTurn = turnId;
      const speechEndAt = this.mic.frameAt(silenceStart)?.arrivedAt ?? deps.clock.now();
      if (turnId === this.currentTurn) this.noteWords(turnId, text, from === 'final', speechEndAt);
      events.settled(turnId, text, from, speechEndAt);
    };
    const partialIntervalMs = (turnId: string) => {
      const wanted = events.wordsWanted?.(turnId) ?? 'usual';
      if (wanted === 'no') return Number.POSITIVE_INFINITY;
      return wanted === 'sooner' && config.bargeIn ? config.bargeIn.partialIntervalMs : null;
    };
    const onNonSpeech = (turnId: string, coversSeq: number) => {
      if (turnId === this.currentTurn) events.nonSpeech?.(turnId, this.mic.arrivalOf(coversSeq));
    };
    this.stt = new SttScheduler({ ...deps, sttLanguage, partialIntervalMs }, this.mic, this.send, onSettled, onNonSpeech);
  }

  private readonly send: (m: ServerMessage) => void;

  private noteWords(turnId: string, text: string, final: boolean, heardUpTo: number | null): void {
    this.words = text;
    this.wordsFinal = final;
    this.events.words?.(turnId, text, final, heardUpTo);
  }

  /**
   * While the avatar is ducked for a sound its echo does not explain, speech is confirmed after
   * QUICK_SPEECH_START_MS (two VAD frames) instead of the endpointer's minimum, so that sound's words
   * are asked for sooner.
   */
  confirmQuickly(on: boolean): void {
    this.mic.confirmSpeechStartAfter(on ? QUICK_SPEECH_START_MS : null);
  }

  /** An utterance is open and not yet being finalised. */
  get listening(): boolean {
    return this.stt.listening;
  }

  private onEndpoint(event: EndpointEvent): void {
    if (event.type === 'misfire') return this.events.misfire?.();
    if (event.type === 'speech_start') {
      this.send({ type: 'vad', event: 'speech_start', audio_ms: event.atMs });
      this.speechStartMs = event.atMs;
      this.settledTurn = null;
      this.words = null;
      const turnId = this.nextTurnId();
      this.currentTurn = turnId;
      this.stt.startUtterance(turnId, Math.round(event.captureFromMs * (MIC_RATE / 1000)));
      this.events.speechStart(turnId, event.atMs);
      return;
    }
    this.send({ type: 'vad', event: 'speech_end', audio_ms: event.atMs });
    this.speechStartMs = null;
    this.settledTurn = null;
    const turnId = this.currentTurn;
    if (turnId) this.events.speechEnd?.(turnId);
    const endSample = Math.round(event.atMs * (MIC_RATE / 1000));
    const speechEndAt = this.mic.frameAt(endSample)?.arrivedAt ?? this.deps.clock.now();
    const endpointMs = Math.round(Math.max(0, this.deps.clock.now() - speechEndAt));
    void this.stt.finalize(endSample, speechEndAt).then((final) => {
      if (final) return this.events.heard({ ...final, speechEndAt, endpointMs });
      if (turnId) this.events.words?.(turnId, '', true, speechEndAt);
      this.events.nothing(turnId);
    });
  }

  private onAudioProgress(endSample: number, silentMs: number, speechProbability: number): void {
    const state = this.mic.endpointerState;
    // possible speech: the first frame above the VAD's lower (silence) threshold, before it is
    // confirmed, so the avatar can be ducked within a frame or two of the user's first sound
    const maybe = state === 'tentative' || (state === 'idle' && speechProbability >= MAYBE_SPEECH);
    if (maybe && !this.wasTentative) this.events.maybeSpeech?.();
    else if (!maybe && this.wasTentative && state === 'idle') this.events.misfire?.();
    this.wasTentative = maybe;
    if (this.speechStartMs !== null && state === 'speaking') {
      this.events.speaking(Math.max(0, (endSample / MIC_RATE) * 1000 - silentMs - this.speechStartMs), silentMs);
      if (this.turnEnds(silentMs)) return this.mic.endNow();
    }
    if (this.settledTurn !== null && silentMs < PARTIAL_SILENCE_MS) {
      const turnId = this.settledTurn;
      this.settledTurn = null;
      this.events.resumed(turnId);
    }
    this.stt.onAudio(endSample, silentMs);
  }

  /** The words so far end the turn after `silentMs` of silence (turn-end.ts); never before any word is known. */
  private turnEnds(silentMs: number): boolean {
    const policy = this.deps.config.turnEnd;
    if (!policy || silentMs === 0 || this.words === null) return false;
    // a partial may not have heard the last words yet: it can make the wait longer, never shorter
    const kind = classifyUtteranceEnd(this.words);
    const wait = kind === 'complete' && !this.wordsFinal ? policy.neutralMs : endOfTurnSilenceMs(this.words, policy);
    return silentMs >= wait;
  }

  push(seq: number, packet: Uint8Array): Promise<void> {
    return this.mic.push(seq, packet);
  }

  /** A new connection's mic stream (sequence numbers from 0 again). */
  newStream(): void {
    this.mic.newStream();
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
