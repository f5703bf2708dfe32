import type { ServerMessage } from '@va/protocol';
import { ProviderError } from '../ports.ts';
import { errInfo } from '../err-info.ts';
import type { SessionConfig, SessionDeps } from '../session/types.ts';
import type { MicInput } from './mic-input.ts';
import { MIC_RATE } from './mic-input.ts';
import { spokenWords, type HeardText } from './non-speech.ts';

/** What the scheduler needs: the STT port, time, logs, metrics, and the language to ask for. */
export type SttSchedulerDeps = Pick<SessionDeps, 'clock' | 'logger' | 'stt' | 'metrics'> & {
  config: Pick<SessionConfig, 'partialIntervalMs'>;
  /** The `language` sent with every request (`auto` lets the server detect it). */
  sttLanguage: () => string;
  /**
   * The partial interval (ms) for utterance `turnId` now, or null for `config.partialIntervalMs`:
   * shorter while its words are awaited to judge speech over the avatar (each partial can end the
   * wait), Infinity when no one needs them (the avatar's echo).
   */
  partialIntervalMs?: (turnId: string) => number | null;
};

/**
 * Silence after which no new partial is started and the early final goes out (ms): two VAD
 * frames. Short, because a finished sentence is answered 200 ms into the silence (turn-end.ts) and
 * its final must be back by then (64 ms + a 150 ms STT round trip).
 */
export const PARTIAL_SILENCE_MS = 64;
/** Silence kept after the end of speech in the final request (ms). */
export const FINAL_TAIL_MS = PARTIAL_SILENCE_MS;
/** Slack when matching an early final's silence to the endpoint's (one VAD frame). */
const FRAME_TOLERANCE = 512;

interface Utterance {
  turnId: string;
  fromSample: number;
  lastRequestEnd: number;
  lastPartial: string;
  finalizing: boolean;
  /** The last partial text reported as settled (see onSettled; early finals are reported apart). */
  settled: string;
  /** The final's request, sent as soon as its audio was complete (see startEarlyFinal). */
  early: EarlyFinal | null;
}

interface EarlyFinal {
  /** Sample where the silence it assumes began. */
  silenceStart: number;
  to: number;
  /** The transcript, or null if the request failed. */
  text: Promise<HeardText | null>;
  /** Its words were reported when they arrived (settled, or non-speech) before the endpoint. */
  reported: boolean;
}

export interface FinalTranscript {
  turnId: string;
  text: string;
  /** speech end detected -> final text (ms) */
  sttMs: number;
  /** The final was transcribed during the end-of-turn silence, before the end was detected. */
  early: boolean;
}

/**
 * Partial and final transcription of the utterance in progress. At most one STT request is in
 * flight (whisper.cpp serves one at a time and queues the rest); partials re-transcribe the
 * growing utterance whenever `partialIntervalMs` of new audio has arrived; a partial whose
 * utterance has moved on is dropped.
 *
 * A request, once sent, is never aborted (only when the session closes): whisper-server notices a
 * closed connection only at its next abort checkpoint (~1 s into the work), so an aborted request
 * holds the server far longer than letting it finish (at most one STT latency), and the final
 * would wait behind that leftover work. A request that is no longer wanted is let run and its
 * text ignored — or, for an early final abandoned because the user spoke again, used as a partial
 * (it is the utterance so far). The next request waits for the server to be free.
 */
export class SttScheduler {
  private utt: Utterance | null = null;
  private latestSample = 0;
  private latestSilentMs = 0;
  private closed = false;
  /** The request the server is working on (settles when its answer or failure arrives). */
  private busy: Promise<void> | null = null;
  /** Aborts whatever is in flight when the session closes. */
  private readonly closing = new AbortController();

  constructor(
    private readonly deps: SttSchedulerDeps,
    private readonly mic: MicInput,
    private readonly send: (m: ServerMessage) => void,
    /**
     * The user has been silent for PARTIAL_SILENCE_MS and no partial is running: `text` is what
     * the utterance says unless the user speaks again. Called again if the text changes.
     * `silenceStart` is the sample where the silence began.
     */
    private readonly onSettled: (turnId: string, text: string, from: 'partial' | 'final', silenceStart: number) => void = () => undefined,
    /**
     * A transcript of utterance `turnId` (up to mic packet `coversSeq`) was non-speech marks only
     * ([BLANK_AUDIO], (coughing), ♪: non-speech.ts): the recogniser heard a sound, not a voice.
     */
    private readonly onNonSpeech: (turnId: string, coversSeq: number) => void = () => undefined,
  ) {}

  get listening(): boolean {
    return this.utt !== null && !this.utt.finalizing;
  }

  startUtterance(turnId: string, fromSample: number): void {
    // whatever the previous utterance has in flight runs to its end; its text is ignored
    this.utt = {
      turnId,
      fromSample: Math.max(fromSample, this.mic.audio.startIndex),
      lastRequestEnd: fromSample,
      lastPartial: '',
      finalizing: false,
      settled: '',
      early: null,
    };
  }

  /**
   * New audio was processed. No partial starts once the user has been silent for
   * PARTIAL_SILENCE_MS: the text would not change, and a partial still running when the turn
   * ends would delay the final on a server that cannot cancel it.
   */
  onAudio(endSample: number, silentMs: number): void {
    this.latestSample = endSample;
    this.latestSilentMs = silentMs;
    const utt = this.utt;
    if (!utt || utt.finalizing || this.closed) return;
    // the user spoke again: that was not the end of the utterance (the request runs on, as a partial)
    if (utt.early && silentMs < PARTIAL_SILENCE_MS) utt.early = null;
    if (this.busy) return;
    if (silentMs >= PARTIAL_SILENCE_MS) {
      const silenceStart = endSample - Math.round((silentMs * MIC_RATE) / 1000);
      if (utt.lastPartial && utt.settled !== utt.lastPartial) {
        utt.settled = utt.lastPartial;
        this.onSettled(utt.turnId, utt.lastPartial, 'partial', silenceStart);
      }
      if (!utt.early) this.startEarlyFinal(utt, silenceStart);
      return;
    }
    const hurried = this.deps.partialIntervalMs?.(utt.turnId) ?? null;
    // a silence has begun: if it lasts PARTIAL_SILENCE_MS the early final goes out, and a partial
    // started now would hold the server and delay it by a whole STT time (unless the words are
    // awaited now: speech over the avatar is judged from each partial)
    if (silentMs > 0 && hurried === null) return;
    const intervalMs = hurried ?? this.deps.config.partialIntervalMs;
    if (endSample - utt.lastRequestEnd < (intervalMs * MIC_RATE) / 1000) return;
    this.startPartial(utt, endSample);
  }

  /** `work` is the request the server now runs: nothing else is sent until it settles. */
  private track(work: Promise<unknown>): void {
    const busy = work.then(
      () => undefined,
      () => undefined,
    );
    this.busy = busy;
    void busy.then(() => {
      if (this.busy !== busy) return;
      this.busy = null;
      this.onAudio(this.latestSample, this.latestSilentMs);
    });
  }

  /** Resolves once no request is in flight. */
  private async idle(): Promise<void> {
    while (this.busy) await this.busy;
  }

  private startPartial(utt: Utterance, endSample: number): void {
    utt.lastRequestEnd = endSample;
    const pcm = this.mic.audio.slice(utt.fromSample, endSample);
    const covers = this.mic.frameAt(endSample);
    const sentAt = this.deps.clock.now();
    const work = this.deps.stt
      .transcribe({ pcm, signal: this.closing.signal, language: this.deps.sttLanguage() })
      .then((result) => {
        if (this.utt !== utt || utt.finalizing) return; // stale
        this.deps.metrics?.observePartial(this.deps.clock.now() - sentAt);
        this.noteHeard(utt, spokenWords(result.text), covers?.seq ?? 0);
      })
      .catch((error: unknown) => {
        if (!this.closed) this.deps.logger.warn({ err: errInfo(error), turn_id: utt.turnId }, 'partial transcription failed');
      });
    this.track(work);
  }

  private noteHeard(utt: Utterance, heard: HeardText, coversSeq: number): void {
    if (heard.nonSpeech) this.onNonSpeech(utt.turnId, coversSeq);
    this.notePartial(utt, heard.text, coversSeq);
  }

  private notePartial(utt: Utterance, text: string, coversSeq: number): void {
    if (!text || text === utt.lastPartial) return;
    utt.lastPartial = text;
    this.send({ type: 'transcript.partial', turn_id: utt.turnId, text, covers_seq: coversSeq });
  }

  /** The final's audio: the speech, a short silent tail, and never less than the last partial covered. */
  private finalRange(utt: Utterance, silenceStart: number): number {
    const tail = Math.round((FINAL_TAIL_MS * MIC_RATE) / 1000);
    return Math.max(utt.lastRequestEnd, Math.min(this.mic.audio.endIndex, silenceStart + tail));
  }

  /**
   * The user has been silent for PARTIAL_SILENCE_MS = FINAL_TAIL_MS: all the audio the final will
   * send exists now. Sending it now rather than when the endpoint fires (480 ms of silence) takes
   * the STT time off the answer's critical path; if the user speaks again it runs on as a partial. The
   * server is free (partials stopped), so nothing queues behind it unless speech resumes.
   */
  private startEarlyFinal(utt: Utterance, silenceStart: number): void {
    const to = this.finalRange(utt, silenceStart);
    utt.lastRequestEnd = to;
    const pcm = this.mic.audio.slice(utt.fromSample, to);
    const coversSeq = this.mic.frameAt(to)?.seq ?? 0;
    const text = this.transcribeFinal(pcm).then(
      (heard) => {
        if (this.utt !== utt || utt.finalizing) return heard;
        if (utt.early !== early) this.noteHeard(utt, heard, coversSeq); // abandoned: the user spoke again
        else {
          early.reported = true;
          if (heard.nonSpeech) this.onNonSpeech(utt.turnId, coversSeq);
          if (heard.text) this.onSettled(utt.turnId, heard.text, 'final', silenceStart);
        }
        return heard;
      },
      (error: unknown) => {
        if (!this.closed) this.deps.logger.warn({ err: errInfo(error), turn_id: utt.turnId }, 'early final transcription failed');
        return null;
      },
    );
    const early: EarlyFinal = { silenceStart, to, text, reported: false };
    utt.early = early;
    this.track(text);
  }

  /** One final transcription (its spoken words), retried once on a retryable failure. */
  private async transcribeFinal(pcm: Int16Array): Promise<HeardText> {
    const signal = this.closing.signal;
    for (let attempt = 0; ; attempt++) {
      try {
        const s = AbortSignal.any([signal, AbortSignal.timeout(15_000)]);
        return spokenWords((await this.deps.stt.transcribe({ pcm, signal: s, language: this.deps.sttLanguage() })).text);
      } catch (error) {
        if (attempt === 0 && !signal.aborted && error instanceof ProviderError && error.retryable && error.code !== 'timeout') {
          await this.deps.clock.sleep(100, signal);
          continue;
        }
        throw error;
      }
    }
  }

  /** End of speech: transcribe the whole utterance. Null when there is nothing to answer. */
  async finalize(endSample: number, speechEndAt: number): Promise<FinalTranscript | null> {
    const utt = this.utt;
    if (!utt || utt.finalizing) return null;
    utt.finalizing = true;
    const startedAt = this.deps.clock.now();
    // The request sent when the silence reached FINAL_TAIL_MS, if this is that silence (any other
    // request in flight runs to its end: the final waits for it rather than for an abort).
    const early = utt.early && Math.abs(utt.early.silenceStart - endSample) <= FRAME_TOLERANCE ? utt.early : null;
    utt.early = null;
    try {
      let heard = early ? await early.text : null;
      const usedEarly = heard !== null;
      const to = early && usedEarly ? early.to : this.finalRange(utt, endSample);
      const covers = this.mic.frameAt(to);
      if (heard === null) {
        await this.idle();
        const request = this.transcribeFinal(this.mic.audio.slice(utt.fromSample, to));
        this.track(request);
        heard = await request;
      }
      if (this.closed) return null;
      // an early final's non-speech was told when it arrived, unless the endpoint came first
      if (heard.nonSpeech && !(usedEarly && early?.reported)) this.onNonSpeech(utt.turnId, covers?.seq ?? 0);
      const text = heard.text;
      if (!text) {
        this.deps.logger.info({ turn_id: utt.turnId, non_speech: heard.nonSpeech }, 'empty final transcript; no turn');
        return null;
      }
      this.send({ type: 'transcript.final', turn_id: utt.turnId, text, covers_seq: covers?.seq ?? 0, source: 'voice' });
      return { turnId: utt.turnId, text, sttMs: Math.round(Math.max(0, this.deps.clock.now() - Math.max(startedAt, speechEndAt))), early: usedEarly };
    } catch (error) {
      this.deps.logger.warn({ err: errInfo(error), turn_id: utt.turnId }, 'final transcription failed');
      this.send({ type: 'error', code: 'stt_failed', message: 'Speech recognition failed for this utterance.', retryable: true, turn_id: utt.turnId });
      return null;
    } finally {
      if (this.utt === utt) this.utt = null;
    }
  }

  close(): void {
    this.closed = true;
    this.closing.abort(new Error('closed'));
  }
}
