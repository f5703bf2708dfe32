import type { Clock, Logger } from '../ports.ts';
import { decideBargeIn, type BargeInOptions } from '../listen/backchannel.ts';
import type { EchoGuard } from '../listen/echo-guard.ts';

export interface BargeInActions {
  /** Lower (level < 1) or restore (level 1) the avatar's voice on the page. */
  duck(level: number): void;
  /** The user takes the turn: stop the avatar. */
  interrupt(): void;
  /** A backchannel: the avatar goes on (and may nod). */
  acknowledge(): void;
  /** Whether the avatar's voice may be playing now (an answer is running or its audio is still queued). */
  avatarSpeaking(): boolean;
}

interface Burst {
  /** Clock time the first possibly-speech frame was heard. */
  startAt: number;
  utterance: string | null;
  speechMs: number;
  /** Speech of the utterance before this burst (an echo that the user then talked over). */
  offsetMs: number;
  transcript: string | null;
  ended: boolean;
  ducked: boolean;
  outcome: 'pending' | 'interrupt' | 'backchannel' | 'echo';
}

/** Mic audio looked at before a burst is judged: the echo guard needs a few frames. */
const ECHO_LOOK_MS = 60;
/** Silence after which a burst counts as over for judging it (ms). */
const PAUSE_ENDS_BURST_MS = 250;
/** Recent audio checked for a user talking over an echo already judged. */
const REOPEN_LOOK_MS = 200;

/**
 * Speech while the avatar speaks (session side of listen/backchannel.ts and listen/echo-guard.ts):
 * the avatar's own voice coming back is ignored; anything else ducks the avatar at once, then is
 * judged from its words and length: a backchannel restores the voice (and the avatar nods), the
 * rest interrupts. Utterances judged echo or backchannel are not turns (`ignored`).
 */
export class BargeInJudge {
  private burst: Burst | null = null;
  private readonly ignoredUtterances = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly echo: EchoGuard,
    private readonly opts: BargeInOptions & { duckLevel: number },
    private readonly act: BargeInActions,
    private readonly logger: Logger,
  ) {}

  /** A first frame of possible speech. */
  maybeSpeech(): void {
    if (this.burst || !this.act.avatarSpeaking()) return;
    this.burst = { startAt: this.clock.now() - ECHO_LOOK_MS, utterance: null, speechMs: 0, offsetMs: 0, transcript: null, ended: false, ducked: false, outcome: 'pending' };
    this.judge();
  }

  misfire(): void {
    if (this.burst && !this.burst.utterance) this.end();
  }

  speechStart(utterance: string): void {
    if (!this.burst && this.act.avatarSpeaking()) this.maybeSpeech();
    if (this.burst && !this.burst.utterance) this.burst.utterance = utterance;
    if (this.burst?.outcome === 'echo' || this.burst?.outcome === 'backchannel') this.ignoredUtterances.add(utterance);
  }

  speaking(spokenMs: number, silentMs = 0): void {
    const b = this.burst;
    if (!b) return;
    b.speechMs = spokenMs - b.offsetMs;
    // a backchannel is judged once it has stopped, not when the end of turn is decided
    b.ended = silentMs >= PAUSE_ENDS_BURST_MS;
    const now = this.clock.now();
    if (b.outcome === 'echo' && this.echo.judge(now - REOPEN_LOOK_MS, now) === 'user') {
      // the user started talking over the avatar's echo: judge that speech afresh
      Object.assign(b, { outcome: 'pending', startAt: now - ECHO_LOOK_MS, offsetMs: spokenMs, speechMs: 0, transcript: null });
      if (b.utterance) this.ignoredUtterances.delete(b.utterance);
    }
    this.judge();
  }

  words(utterance: string, text: string): void {
    if (this.burst?.utterance !== utterance) return;
    this.burst.transcript = text;
    this.judge();
  }

  speechEnd(utterance: string): void {
    if (this.burst?.utterance !== utterance) return;
    this.burst.ended = true;
    this.judge();
    if (this.burst?.outcome === 'pending' && this.burst.transcript === null) return; // the final will decide
    this.end();
  }

  /** The utterance is being judged, or was judged not a turn: its transcripts are not shown. */
  holds(utterance: string): boolean {
    return this.ignoredUtterances.has(utterance) || (this.burst?.utterance === utterance && this.burst.outcome === 'pending');
  }

  /** Utterances that were the avatar's echo or a backchannel: they start no turn. */
  ignored(utterance: string): boolean {
    return this.ignoredUtterances.has(utterance);
  }

  /** An answer ended or was stopped: a pending burst is an ordinary utterance now. */
  answerEnded(): void {
    if (this.burst?.outcome === 'pending') this.end();
  }

  private judge(): void {
    const b = this.burst;
    if (!b || b.outcome !== 'pending') return;
    const heard = this.echo.judge(b.startAt, this.clock.now());
    if (heard === 'echo') {
      if (b.ducked) this.act.duck(1);
      b.ducked = false;
      if (b.speechMs >= this.opts.maxBackchannelMs || b.ended) this.settle('echo');
      return;
    }
    if (!b.ducked) {
      b.ducked = true;
      this.act.duck(this.opts.duckLevel);
    }
    const decision = decideBargeIn({ speechMs: b.speechMs, ended: b.ended, transcript: b.transcript }, this.opts);
    if (decision !== 'wait') this.settle(decision);
  }

  private settle(outcome: 'interrupt' | 'backchannel' | 'echo'): void {
    const b = this.burst!;
    b.outcome = outcome;
    this.logger.info({ outcome, speech_ms: Math.round(b.speechMs) }, 'speech during the answer judged');
    if (outcome === 'interrupt') {
      this.act.interrupt();
      this.burst = null;
      return;
    }
    if (b.utterance) this.ignoredUtterances.add(b.utterance);
    if (b.ducked) this.act.duck(1);
    b.ducked = false;
    if (outcome === 'backchannel') this.act.acknowledge();
    if (b.ended) this.burst = null;
  }

  private end(): void {
    const b = this.burst;
    if (b?.ducked) this.act.duck(1);
    this.burst = null;
  }
}
