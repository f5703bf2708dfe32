import type { ServerMessage, SessionState } from '@va/protocol';
import type { TimerHandle } from '../ports.ts';
import type { EndpointEvent } from '../audio/endpointer.ts';
import { MicInput, MIC_RATE } from './mic-input.ts';
import { SttScheduler } from './stt-scheduler.ts';
import { errInfo, runTurn, type TurnResult } from './turn.ts';
import type { HistoryTurn } from './prompt.ts';
import type { SessionDeps, SessionOutput } from './types.ts';
import { queryKey, type EarlyRetrieval } from './early-retrieval.ts';

interface ActiveTurn {
  id: string;
  controller: AbortController;
  done: Promise<void>;
}

const DETACHED: SessionOutput = { sendEvent: () => undefined, sendAudio: () => false };

/**
 * One conversation: owns the mic pipeline, the STT scheduling, and at most one answering turn.
 * Transport-free: the WebSocket (or a test) attaches a SessionOutput and feeds client input.
 *
 * States: idle (waiting) -> listening (user speaks) -> thinking (answer requested) -> speaking
 * (voice being sent) -> idle. User speech during thinking/speaking aborts the turn (barge-in).
 */
export class VoiceSession {
  readonly id: string;
  private output: SessionOutput = DETACHED;
  private mic: MicInput | null = null;
  private stt: SttScheduler | null = null;
  private state: SessionState = 'idle';
  private turn: ActiveTurn | null = null;
  private turnCounter = 0;
  private segmentCounter = 0;
  private readonly history: Array<HistoryTurn & { turnId: string }> = [];
  private readonly played = new Map<string, number>();
  private idleTimer: TimerHandle | null = null;
  private pendingBargeIn: { atMs: number } | null = null;
  private early: EarlyRetrieval | null = null;
  private closed = false;
  onIdleTimeout: () => void = () => undefined;

  constructor(private readonly deps: SessionDeps) {
    this.id = deps.sessionId;
    deps.log.recordSessionStart(deps.sessionId, new Date());
    this.armIdleTimer();
  }

  get currentState(): SessionState {
    return this.state;
  }

  get busy(): boolean {
    return this.turn !== null;
  }

  get historyForClient(): Array<{ turn_id: string; user_text: string; assistant_text: string }> {
    return this.history.map((h) => ({ turn_id: h.turnId, user_text: h.user, assistant_text: h.assistant }));
  }

  attach(output: SessionOutput): void {
    this.output = output;
  }

  detach(output: SessionOutput): void {
    if (this.output === output) {
      this.output = DETACHED;
      this.abortTurn('detached');
    }
  }

  private send(message: ServerMessage): void {
    this.output.sendEvent(message);
  }

  private setState(state: SessionState, turnId: string | null): void {
    if (this.state === state) return;
    this.state = state;
    this.send({ type: 'state', state, turn_id: turnId });
  }

  // ---------------- mic input ----------------
  private ensureMic(): MicInput {
    if (this.mic) return this.mic;
    const { config } = this.deps;
    this.mic = new MicInput(
      this.deps.createVad(),
      config.endpointer,
      config.maxUtteranceSeconds,
      {
        onEndpoint: (e) => this.onEndpoint(e),
        onAudioProgress: (endSample, silentMs) => this.onAudioProgress(endSample, silentMs),
        onProcessed: (lagMs) => this.deps.metrics?.observeMicLag?.(lagMs),
        onDecodeError: (seq) =>
          this.send({ type: 'error', code: 'audio_decode_failed', message: `Opus packet ${seq} could not be decoded.`, retryable: false, turn_id: null }),
      },
      () => this.deps.clock.now(),
    );
    this.stt = new SttScheduler(this.deps, this.mic, (m) => this.send(m), (turnId, text, from) => this.retrieveEarly(turnId, text, from));
    return this.mic;
  }

  /** One 20 ms Opus packet from the browser. Returns once it has been processed. */
  pushAudio(seq: number, packet: Uint8Array): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.ensureMic().push(seq, packet);
  }

  /** The mic was switched off: end the utterance now. */
  audioEnd(): void {
    this.mic?.finish();
  }

  private onEndpoint(event: EndpointEvent): void {
    if (event.type === 'misfire') return;
    const stt = this.stt!;
    if (event.type === 'speech_start') {
      this.armIdleTimer();
      this.deps.prewarm?.();
      this.send({ type: 'vad', event: 'speech_start', audio_ms: event.atMs });
      if (this.turn) this.pendingBargeIn = { atMs: event.atMs };
      const turnId = this.nextTurnId();
      stt.startUtterance(turnId, Math.round(event.captureFromMs * (MIC_RATE / 1000)));
      if (!this.turn) this.setState('listening', turnId);
      return;
    }
    this.send({ type: 'vad', event: 'speech_end', audio_ms: event.atMs });
    this.pendingBargeIn = null;
    const endSample = Math.round(event.atMs * (MIC_RATE / 1000));
    const speechEndAt = this.mic?.frameAt(endSample)?.arrivedAt ?? this.deps.clock.now();
    const endpointMs = Math.max(0, this.deps.clock.now() - speechEndAt);
    void stt.finalize(endSample, speechEndAt).then((final) => {
      if (!final || this.closed) {
        if (!this.turn) this.setState('idle', null);
        return;
      }
      const early = this.early?.turnId === final.turnId ? this.early : null;
      this.early = null;
      void this.startTurn(final.turnId, 'voice', final.text, speechEndAt, { stt_final_ms: final.sttMs, endpoint_ms: Math.round(endpointMs) }, { early, transcriptEarly: final.early });
    });
  }

  /**
   * The user stopped and the partial transcript has settled: look the documents up now, during
   * the end-of-turn silence, so an answer whose final transcript says the same needs no lookup.
   */
  private retrieveEarly(turnId: string, text: string, from: 'partial' | 'final'): void {
    const retriever = this.deps.retriever;
    if (!retriever?.loaded || this.closed) return;
    const current = this.early?.turnId === turnId ? this.early : null;
    if (current && current.key === queryKey(text)) return; // already looking that up
    if (current?.fromFinal && from === 'partial') return; // the final's words beat a partial's
    const { k, minScore, timeoutMs } = this.deps.config.rag;
    const passages = retriever.retrieve(text, { k, minScore, signal: AbortSignal.timeout(timeoutMs) }).catch(() => null);
    this.early = { turnId, key: queryKey(text), passages, fromFinal: from === 'final' };
  }

  private onAudioProgress(endSample: number, silentMs: number): void {
    const bargeIn = this.pendingBargeIn;
    if (bargeIn && this.turn && this.mic?.endpointerState === 'speaking') {
      const spokenMs = (endSample / MIC_RATE) * 1000 - bargeIn.atMs;
      if (spokenMs >= this.deps.config.bargeInMinSpeechMs) {
        this.pendingBargeIn = null;
        this.deps.logger.info({ turn_id: this.turn.id }, 'barge-in: user speech interrupts the answer');
        this.abortTurn('barge_in');
        this.setState('listening', null);
      }
    }
    this.stt?.onAudio(endSample, silentMs);
  }

  // ---------------- text input ----------------
  textInput(text: string, clientMsgId?: string): string {
    this.armIdleTimer();
    const turnId = this.nextTurnId();
    this.send({ type: 'transcript.final', turn_id: turnId, text, covers_seq: -1, source: 'text', ...(clientMsgId ? { client_msg_id: clientMsgId } : {}) });
    void this.startTurn(turnId, 'text', text, this.deps.clock.now(), {});
    return turnId;
  }

  /** Text chat over HTTP: same turn logic, no voice, events to `output` (SSE). */
  textChat(text: string, output: SessionOutput): Promise<TurnResult | null> {
    this.armIdleTimer();
    const turnId = this.nextTurnId();
    output.sendEvent({ type: 'transcript.final', turn_id: turnId, text, covers_seq: -1, source: 'text' });
    return this.startTurn(turnId, 'text', text, this.deps.clock.now(), {}, { speak: false, output });
  }

  /** The user pressed stop. */
  interrupt(): void {
    this.abortTurn('interrupt');
  }

  playbackReport(turnId: string, segmentId: number, playedMs: number): void {
    this.played.set(`${turnId}/${segmentId}`, playedMs);
    if (this.played.size > 512) this.played.delete(this.played.keys().next().value as string);
  }

  // ---------------- turns ----------------
  private nextTurnId(): string {
    this.turnCounter += 1;
    return `t${this.turnCounter}`;
  }

  private abortTurn(reason: 'barge_in' | 'interrupt' | 'detached' | 'replaced'): void {
    const turn = this.turn;
    if (!turn || turn.controller.signal.aborted) return;
    turn.controller.abort(new Error(reason));
    if (reason === 'barge_in' || reason === 'interrupt') {
      this.send({ type: 'playback.clear', turn_id: turn.id, reason });
    }
  }

  /** Starts an answer; any running turn is aborted first. Returns the turn's completion. */
  startTurn(
    turnId: string,
    mode: 'voice' | 'text',
    userText: string,
    startedAt: number,
    stages: Record<string, number>,
    opts: { speak?: boolean; output?: SessionOutput; early?: EarlyRetrieval | null; transcriptEarly?: boolean } = {},
  ): Promise<TurnResult | null> {
    const speak = opts.speak ?? true;
    this.abortTurn('interrupt');
    const previous = this.turn?.done ?? Promise.resolve();
    const controller = new AbortController();
    const startedWall = new Date();
    let resolveResult: (r: TurnResult | null) => void = () => undefined;
    const result = new Promise<TurnResult | null>((r) => (resolveResult = r));
    const log = this.deps.logger.child({ turn_id: turnId });
    const done = previous.then(async () => {
      if (this.closed) return resolveResult(null);
      this.setState('thinking', turnId);
      log.info({ mode, chars: userText.length }, 'turn started');
      const output = opts.output ?? this.output;
      const speakingOutput: SessionOutput = {
        sendEvent: (m) => {
          if (m.type === 'tts.start') this.setState('speaking', turnId);
          output.sendEvent(m);
        },
        sendAudio: (f) => output.sendAudio(f),
      };
      try {
        const r = await runTurn(this.deps, speakingOutput, {
          turnId,
          mode,
          userText,
          speak,
          history: this.history.slice(-this.deps.config.historyTurns),
          startedAt,
          stages,
          signal: controller.signal,
          firstSegmentId: this.segmentCounter,
          early: opts.early ?? null,
          playedMs: (seg) => this.played.get(`${turnId}/${seg}`),
        });
        this.segmentCounter = r.nextSegmentId;
        this.finishTurn(turnId, mode, userText, r, startedWall, output, opts.transcriptEarly ?? false);
        resolveResult(r);
      } catch (error) {
        log.error({ err: errInfo(error) }, 'turn failed');
        output.sendEvent({ type: 'error', code: 'internal_error', message: 'The answer failed unexpectedly.', retryable: true, turn_id: turnId });
        resolveResult(null);
      } finally {
        if (this.turn?.controller === controller) {
          this.turn = null;
          this.setState(this.stt?.listening ? 'listening' : 'idle', null);
          this.armIdleTimer();
        }
      }
    });
    this.turn = { id: turnId, controller, done };
    return result;
  }

  private finishTurn(turnId: string, mode: 'voice' | 'text', userText: string, r: TurnResult, startedAt: Date, output: SessionOutput, transcriptEarly: boolean): void {
    output.sendEvent({ type: 'assistant.done', turn_id: turnId, text: r.assistantText, interrupted: r.interrupted, sources: r.sources, fallback: r.fallback });
    output.sendEvent({
      type: 'turn.metrics',
      turn_id: turnId,
      stages: r.stages,
      interrupted: r.interrupted,
      ...(r.retrievalEarly ? { retrieval_early: true } : {}),
      ...(transcriptEarly ? { transcript_early: true } : {}),
    });
    this.history.push({ turnId, user: userText, assistant: r.heardText });
    if (this.history.length > 50) this.history.shift();
    this.deps.metrics?.observeTurn(r.stages, { mode, interrupted: r.interrupted, fallback: r.fallback });
    this.deps.logger.info({ turn_id: turnId, interrupted: r.interrupted, fallback: r.fallback, stages: r.stages, sources: r.sources.length }, 'turn finished');
    this.deps.log.recordTurn({
      sessionId: this.id,
      turnId,
      mode,
      userText,
      assistantText: r.heardText,
      interrupted: r.interrupted,
      startedAt,
      endedAt: new Date(),
      latencies: {
        ...(r.stages.stt_final_ms !== null ? { sttFinalMs: r.stages.stt_final_ms } : {}),
        ...(r.stages.retrieval_ms !== null ? { retrievalMs: r.stages.retrieval_ms } : {}),
        ...(r.stages.llm_first_token_ms !== null ? { llmFirstTokenMs: r.stages.llm_first_token_ms } : {}),
        ...(r.stages.tts_first_audio_ms !== null ? { ttsFirstAudioMs: r.stages.tts_first_audio_ms } : {}),
        ...(r.stages.end_to_end_ms !== null ? { endToEndMs: r.stages.end_to_end_ms } : {}),
      },
      sources: r.sources.map((s) => ({ documentId: s.document_id, chunkId: s.chunk_id, source: s.source, score: s.score })),
      fallback: r.fallback ?? undefined,
    });
  }

  // ---------------- lifetime ----------------
  private armIdleTimer(): void {
    if (this.idleTimer) this.deps.clock.clearTimeout(this.idleTimer);
    if (this.closed) return;
    this.idleTimer = this.deps.clock.setTimeout(() => {
      if (this.turn || this.stt?.listening) return this.armIdleTimer();
      this.onIdleTimeout();
    }, this.deps.config.idleTimeoutMs);
  }

  /** Waits for queued mic audio and any running turn (tests, shutdown). */
  async settle(): Promise<void> {
    await this.mic?.drain();
    await this.turn?.done;
  }

  close(): void {
    if (this.closed) return;
    this.abortTurn('detached');
    this.closed = true;
    if (this.idleTimer) this.deps.clock.clearTimeout(this.idleTimer);
    this.stt?.close();
    this.mic?.close();
  }
}
