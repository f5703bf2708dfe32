import type { ServerMessage, SessionState } from '@va/protocol';
import type { Language, TimerHandle } from '../ports.ts';
import { errInfo } from '../err-info.ts';
import { EarlyRetrieval } from '../answer/early-retrieval.ts';
import { isLanguage, NOTICES } from '../answer/language.ts';
import { runTurn, type TurnResult } from '../answer/turn.ts';
import { Listener, type HeardUtterance } from '../listen/listener.ts';
import { AvatarVoice } from './avatar-voice.ts';
import { ConversationMemory } from './conversation-memory.ts';
import { Continuations } from './continuation.ts';
import type { BargeInJudge } from './barge-in.ts';
import { PreemptiveAnswers, type LaunchRequest } from './preemptive.ts';
import { reportTurn } from './turn-report.ts';
import type { SessionDeps, SessionOutput } from './types.ts';
import { speakingOutput, type ActiveTurn, type TurnOptions } from './active-turn.ts';

const DETACHED: SessionOutput = { sendEvent: () => undefined, sendAudio: () => false };

/**
 * One conversation: the listening side (listen/listener.ts) turns mic packets into utterances;
 * each utterance (or typed text) becomes one answering turn (answer/turn.ts), at most one at a
 * time. Transport-free: the WebSocket (or a test) attaches a SessionOutput and feeds client input.
 *
 * States: idle (waiting) -> listening (user speaks) -> thinking (answer requested) -> speaking
 * (voice being sent) -> idle. User speech during thinking/speaking aborts the turn (barge-in).
 */
export class VoiceSession {
  readonly id: string;
  private output: SessionOutput = DETACHED;
  private listener: Listener | null = null;
  private state: SessionState = 'idle';
  private turn: ActiveTurn | null = null;
  private turnCounter = 0;
  private readonly memory = new ConversationMemory();
  private idleTimer: TimerHandle | null = null;
  private bargeInArmed = false;
  private readonly early: EarlyRetrieval;
  private readonly preemptive: PreemptiveAnswers;
  /** What the page plays (echo guard) and the running answers' speakers. */
  private readonly voice: AvatarVoice;
  /** Judges speech while the avatar speaks (null: any speech interrupts, see bargeInMinSpeechMs). */
  private readonly judge: BargeInJudge | null;
  private readonly continuations = new Continuations();
  private lang: Language;
  private closed = false;
  onIdleTimeout: () => void = () => undefined;

  constructor(private readonly deps: SessionDeps) {
    this.id = deps.sessionId;
    this.lang = deps.language ?? (isLanguage(deps.config.language) ? deps.config.language : 'en');
    this.early = new EarlyRetrieval(deps.retriever, deps.config.rag);
    this.preemptive = new PreemptiveAnswers((req) => this.launchHeld(req));
    this.voice = new AvatarVoice(deps);
    this.judge = this.voice.createJudge({
      send: (m) => this.send(m),
      turnId: () => this.turn?.id ?? null,
      answering: () => this.turn !== null,
      answerVoicedAt: () => this.turn?.voice?.voicedAt,
      interrupt: (goesOn) => {
        this.listener?.confirmQuickly(false);
        this.bargeIn(goesOn);
      },
      ducked: (on) => this.listener?.confirmQuickly(on),
    });
    deps.log.recordSessionStart(deps.sessionId, new Date());
    this.armIdleTimer();
  }

  get currentState(): SessionState {
    return this.state;
  }

  get busy(): boolean {
    return this.turn !== null;
  }

  /** The session's language (see SessionDeps.language). */
  get language(): Language {
    return this.lang;
  }

  /** The page switched language (a new `hello`): later utterances and turns use it. */
  setLanguage(language: Language): void {
    this.lang = language;
  }

  /** What the STT is told: `auto` when configured so, else the session's language. */
  private sttLanguage(): string {
    return this.deps.config.language === 'auto' ? 'auto' : this.lang;
  }

  get historyForClient(): Array<{ turn_id: string; user_text: string; assistant_text: string }> {
    return this.memory.forClient();
  }

  /** A connection takes the session (a reload keeps the session id; its mic packets number from 0 again). */
  attach(output: SessionOutput): void {
    this.output = output;
    this.listener?.newStream();
  }

  detach(output: SessionOutput): void {
    if (this.output === output) {
      this.output = DETACHED;
      this.preemptive.discard();
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

  // ---------------- listening ----------------
  /** Transcripts of speech still being judged, or judged not the user's turn, stay on the server. */
  private fromListener(m: ServerMessage): void {
    if ((m.type === 'transcript.partial' || m.type === 'transcript.final') && this.judge?.holds(m.turn_id)) return;
    this.send(m.type === 'transcript.final' ? this.continuations.shown(m) : m);
  }

  private ensureListener(): Listener {
    this.listener ??= new Listener(
      this.deps,
      (m) => this.fromListener(m),
      {
        maybeSpeech: () => this.judge?.maybeSpeech(),
        misfire: () => this.judge?.misfire(),
        audio: (pcm16, arrivedAt) => {
          this.voice.echo.mic(pcm16, arrivedAt);
          this.judge?.sound();
        },
        words: (turnId, text, complete, heardUpTo) => this.judge?.words(turnId, text, complete, heardUpTo),
        nonSpeech: (turnId, heardUpTo) => this.judge?.nonSpeech(turnId, heardUpTo),
        wordsWanted: (turnId) => this.judge?.wordsWanted(turnId) ?? 'usual',
        speechEnd: (turnId) => this.judge?.speechEnd(turnId),
        speechStart: (turnId) => this.onSpeechStart(turnId),
        speaking: (spokenMs, silentMs) => this.onSpeaking(spokenMs, silentMs),
        settled: (turnId, text, from, speechEndAt) => this.onSettled(turnId, text, from, speechEndAt),
        resumed: () => this.preemptive.discard(),
        heard: (utterance) => this.onHeard(utterance),
        nothing: (turnId) => this.onNothing(turnId),
      },
      () => this.nextTurnId(),
      () => this.sttLanguage(),
    );
    return this.listener;
  }

  /** One 20 ms Opus packet from the browser. Returns once it has been processed. */
  pushAudio(seq: number, packet: Uint8Array): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.ensureListener().push(seq, packet);
  }

  /** The mic was switched off: end the utterance now. */
  audioEnd(): void {
    this.listener?.finish();
  }

  private onSpeechStart(turnId: string): void {
    this.judge?.speechStart(turnId);
    if (this.judge?.ignored(turnId)) return;
    this.continuations.utteranceStarted(turnId);
    this.preemptive.discard();
    this.armIdleTimer();
    this.deps.prewarm?.();
    this.bargeInArmed = this.turn !== null;
    if (!this.turn) this.setState('listening', turnId);
  }

  /** Speech while an answer runs: judged (barge-in.ts), or without a judge any `bargeInMinSpeechMs` of it interrupts. */
  private onSpeaking(spokenMs: number, silentMs: number): void {
    if (this.judge) return this.judge.speaking(spokenMs, silentMs);
    if (!this.bargeInArmed || !this.turn || spokenMs < this.deps.config.bargeInMinSpeechMs) return;
    this.bargeInArmed = false;
    this.bargeIn();
  }

  /** `goesOn`: the utterance in which the user went on before the answer's voice began (continuation.ts). */
  private bargeIn(goesOn?: string): void {
    if (!this.turn) return;
    const { id, voice } = this.turn;
    // the judge saw the speech begin before the answer's voice, or too soon after it to answer it
    if (goesOn && voice) {
      this.continuations.withdraw(goesOn, { turnId: id, text: voice.text });
      this.deps.logger.info({ turn_id: id, utterance: goesOn }, 'the user went on before the answer was heard: answer withdrawn, the utterances answered together');
    } else this.deps.logger.info({ turn_id: id }, 'barge-in: user speech interrupts the answer');
    this.abortTurn('barge_in');
    this.setState('listening', null);
  }

  /** An utterance gave no words: a turn it was to go on with is answered as it was (fillers stay held). */
  private onNothing(turnId: string | null): void {
    this.preemptive.discard(); // no final to confirm a held answer
    const asks = turnId ? this.continuations.finalOf(turnId, null) : ({ kind: 'nothing' } as const);
    if (asks.kind === 'fillers') return this.heldFillers(asks.turnId);
    if (asks.kind !== 'again') {
      if (!this.turn) this.setState('idle', null);
      return;
    }
    const { turnId: withdrawnId, text } = asks.withdrawn;
    const id = this.nextTurnId();
    this.send({ type: 'transcript.final', turn_id: id, text, covers_seq: 0, source: 'voice', continues_turn_id: withdrawnId });
    void this.startTurn(id, 'voice', text, this.deps.clock.now(), {});
  }

  /**
   * The user is silent and the utterance's words are known: look the documents up (early
   * retrieval) and, with no answer running, start the answer held (preemptive.ts).
   */
  private onSettled(turnId: string, text: string, from: 'partial' | 'final', speechEndAt: number): void {
    if (this.closed || this.judge?.holds(turnId)) return;
    const words = this.continuations.questionSoFar(turnId, text);
    if (words === null) return; // fillers only: nothing to look up or answer (heldFillers)
    this.early.offer(turnId, words, from);
    if (this.deps.config.preemptive && !this.turn) this.preemptive.offer(turnId, words, from, speechEndAt);
  }

  private onHeard(u: HeardUtterance): void {
    if (this.closed) return;
    if (this.judge?.ignored(u.turnId)) {
      // the avatar's own echo, or a backchannel: not a turn
      if (!this.turn) this.setState('idle', null);
      return;
    }
    const stages = { stt_final_ms: u.sttMs, endpoint_ms: u.endpointMs };
    const asks = this.continuations.finalOf(u.turnId, u.text);
    if (asks.kind === 'fillers') return this.heldFillers(asks.turnId);
    if (asks.kind !== 'question') return;
    const text = asks.text;
    const speculation = this.preemptive.take(u.turnId, text);
    const wasted = this.preemptive.wastedFor(u.turnId);
    const early = this.early.passagesFor(u.turnId, text);
    void this.startTurn(u.turnId, 'voice', text, u.speechEndAt, stages, { early, transcriptEarly: u.early, speculation, wasted });
  }

  /** えーと, um (held by Continuations.finalOf): the user is thinking, not asking. No answer, a nod: go on. */
  private heldFillers(turnId: string): void {
    this.preemptive.discard();
    this.send({ type: 'avatar_event', turn_id: turnId, event: { kind: 'gesture', name: 'nod' } });
    this.deps.logger.info({ turn_id: turnId }, 'an utterance of fillers only: not answered, the next one goes on from it');
    if (!this.turn) this.setState('idle', null);
  }

  // ---------------- text input ----------------
  textInput(text: string, clientMsgId?: string): string {
    this.armIdleTimer();
    this.continuations.dropHeld();
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
    this.preemptive.discard();
    this.abortTurn('interrupt');
  }

  playbackReport(turnId: string, segmentId: number, playedMs: number): void {
    this.memory.playbackReport(turnId, segmentId, playedMs);
  }

  // ---------------- answering ----------------
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
      this.voice.cleared();
    }
  }

  /** Starts an answer; any running turn is aborted first. Returns the turn's completion. */
  startTurn(
    turnId: string,
    mode: 'voice' | 'text',
    userText: string,
    startedAt: number,
    stages: Record<string, number>,
    opts: TurnOptions = {},
  ): Promise<TurnResult | null> {
    this.abortTurn('interrupt');
    const previous = this.turn?.done ?? Promise.resolve();
    const controller = opts.speculation?.controller ?? new AbortController();
    let resolveResult: (r: TurnResult | null) => void = () => undefined;
    const result = new Promise<TurnResult | null>((r) => (resolveResult = r));
    const done = previous.then(async () => {
      resolveResult(this.closed ? null : await this.answer(turnId, mode, userText, startedAt, stages, controller, opts));
      this.voice.forget(controller.signal);
      if (this.turn?.controller === controller) {
        this.turn = null;
        this.setState(this.listener?.listening ? 'listening' : 'idle', null);
        this.armIdleTimer();
      }
    });
    this.turn = { id: turnId, controller, done, voice: mode === 'voice' ? { text: userText, voicedAt: null } : null };
    return result;
  }

  private async answer(
    turnId: string,
    mode: 'voice' | 'text',
    userText: string,
    startedAt: number,
    stages: Record<string, number>,
    controller: AbortController,
    opts: TurnOptions,
  ): Promise<TurnResult | null> {
    const startedWall = new Date();
    this.setState('thinking', turnId);
    this.deps.logger.info({ turn_id: turnId, mode, chars: userText.length }, 'turn started');
    const output = opts.output ?? this.output;
    const speaking = speakingOutput(output, () => this.setState('speaking', turnId), (f) => {
      if (output === this.output) this.voice.sent(f);
      if (this.turn?.controller === controller && this.turn.voice) this.turn.voice.voicedAt ??= this.deps.clock.now();
    });
    try {
      const r = opts.speculation
        ? await opts.speculation.commit(speaking, stages)
        : await runTurn(this.deps, speaking, { ...this.turnInput(turnId, userText, startedAt, controller.signal), mode, stages, speak: opts.speak ?? true, early: opts.early ?? null, onSpeaker: (sp) => this.voice.track(sp, controller.signal) });
      if (!r) throw new Error('the preemptive answer failed');
      const preemptive = opts.speculation ? opts.speculation.from : undefined;
      reportTurn(this.deps, output, { turnId, mode, userText, result: r, startedAt: startedWall, transcriptEarly: opts.transcriptEarly ?? false, preemptive, wasted: opts.wasted });
      // a turn withdrawn for a continuation is remembered as part of the next one, not alone
      if (!this.continuations.withdrew(turnId)) this.memory.remember(turnId, userText, r.heardText);
      return r;
    } catch (error) {
      this.deps.logger.error({ turn_id: turnId, err: errInfo(error) }, 'turn failed');
      output.sendEvent({ type: 'error', code: 'internal_error', message: NOTICES[this.lang].internal, retryable: true, turn_id: turnId });
      return null;
    }
  }

  /** What every turn is given by the session. */
  private turnInput(turnId: string, userText: string, startedAt: number, signal: AbortSignal) {
    return { turnId, userText, startedAt, signal, language: this.lang, ...this.memory.contextFor(turnId, this.deps.config.historyTurns) };
  }

  /** Runs a preemptive answer, held (see preemptive.ts): a voice turn like any other until confirmed. */
  private launchHeld(req: LaunchRequest): Promise<TurnResult> {
    return runTurn(this.deps, req.output, {
      ...this.turnInput(req.turnId, req.text, req.startedAt, req.signal),
      mode: 'voice', stages: req.stages, speak: true, held: true,
      early: this.early.passagesFor(req.turnId, req.text),
      onSpeaker: (sp) => {
        this.voice.track(sp, req.signal);
        req.onSpeaker(sp);
      },
      onLlmRequest: req.onLlmRequest,
    });
  }

  // ---------------- lifetime ----------------
  private armIdleTimer(): void {
    if (this.idleTimer) this.deps.clock.clearTimeout(this.idleTimer);
    if (this.closed) return;
    this.idleTimer = this.deps.clock.setTimeout(() => {
      if (this.turn || this.listener?.listening) return this.armIdleTimer();
      this.onIdleTimeout();
    }, this.deps.config.idleTimeoutMs);
  }

  /** Waits for queued mic audio and any running turn (tests, shutdown). */
  async settle(): Promise<void> {
    await this.listener?.drain();
    await this.turn?.done;
  }

  close(): void {
    if (this.closed) return;
    this.preemptive.discard();
    this.abortTurn('detached');
    this.closed = true;
    if (this.idleTimer) this.deps.clock.clearTimeout(this.idleTimer);
    this.listener?.close();
    this.voice.close();
  }
}
