import type { Clock, Logger } from '../ports.ts';
import { decideBargeIn, type BargeInOptions } from '../listen/backchannel.ts';
import type { EchoGuard } from '../listen/echo-guard.ts';
import { countNuclei } from '../listen/syllables.ts';

export interface BargeInActions {
  /** Lower (level < 1) or restore (level 1) the avatar's voice on the page. */
  duck(level: number): void;
  /**
   * The user takes the turn: stop the avatar. `goesOn`: the speech began before the answer's voice
   * did, so it is the user going on with what they said (continuation.ts), in utterance `goesOn`.
   */
  interrupt(goesOn?: string): void;
  /** A backchannel: the avatar goes on (and may nod). */
  acknowledge(): void;
  /** Whether the avatar's voice may be playing now (an answer is running or its audio is still queued). */
  avatarSpeaking(): boolean;
  /** Whether the avatar's voice may be present: the running answer's has been sent to the page, or an earlier one may still be audible. */
  voiceStarted(): boolean;
  /** Clock time the running answer's first audio was sent to the page (null: none yet, or a typed question's answer). */
  voiceOnsetAt(): number | null;
}

interface Burst {
  /** Clock time the first possibly-speech frame was heard. */
  startAt: number;
  utterance: string | null;
  speechMs: number;
  /** Speech of the utterance before this burst (an echo that the user then talked over). */
  offsetMs: number;
  transcript: string | null;
  /** Clock time the last audio the transcript covers arrived (null: unknown). */
  heardUpTo: number | null;
  /** Silence since the burst's last speech (ms). */
  silentMs: number;
  /** The transcript covers all the burst's speech so far (the early final or the final). */
  complete: boolean;
  ended: boolean;
  /** The VAD heard possible speech in it (a burst may start from a sound alone, see `sound`). */
  vad: boolean;
  ducked: boolean;
  /** Syllable nuclei in the user's part of the burst when last judged. */
  syllables: number;
  /** Its latest transcript was non-speech marks only (a cough, [BLANK_AUDIO]): the voice is not ducked for it. */
  nonSpeech: boolean;
  outcome: 'pending' | Verdict;
  /**
   * The user going on rather than answering the avatar: 'before' its voice (the answer still
   * silent: no echo, no backchannel), or 'early', less than REACTION_MS after its voice began (too
   * soon to be a reaction to it); the echo is told apart once the guard knows the echo path.
   */
  goesOn: 'before' | 'early' | null;
  /**
   * The burst began while the guard was still learning the echo (it may have begun on the echo):
   * 'early' holds only if the user's own sound, found once the echo is known, began that soon.
   */
  onsetUnsure: boolean;
}

type Verdict = 'interrupt' | 'backchannel' | 'echo' | 'noise';

/**
 * Speech that starts less than this after the avatar's first audio was sent (ms) is no reaction to
 * it: the page plays it 60 ms or more later, and a person needs some 200 ms to respond to a sound.
 */
const REACTION_MS = 250;
/** Mic audio looked at before a burst is judged: the echo guard needs a few frames. */
const ECHO_LOOK_MS = 60;
/** Silence after which a burst counts as over for judging it (ms). */
const PAUSE_ENDS_BURST_MS = 250;
/** Recent audio checked for a user talking over an echo already judged. */
const REOPEN_LOOK_MS = 200;
/**
 * A burst started by a sound alone ends (the voice comes back up) if the VAD hears no possible
 * speech in it within this time (ms): a knock, a cough. The VAD is 50-170 ms behind a breathy onset.
 */
const SOUND_CONFIRM_MS = 300;

/**
 * Speech while the avatar speaks (session side of listen/backchannel.ts and listen/echo-guard.ts):
 * the avatar's own voice coming back is ignored; anything else ducks the avatar at once, then is
 * judged from its words and length: a backchannel restores the voice (and the avatar nods), a
 * sound the recogniser writes as no voice (a cough: non-speech.ts) restores it without a nod, the
 * rest interrupts. Utterances judged echo, backchannel or noise are not turns (`ignored`).
 */
export class BargeInJudge {
  private burst: Burst | null = null;
  /** The utterance the VAD is in, if any (a sound inside it starts no burst). */
  private current: string | null = null;
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
    if (this.burst) {
      this.burst.vad = true;
      return;
    }
    if (this.act.avatarSpeaking()) this.start(true);
  }

  /**
   * A mic packet went to the echo guard: a sound the avatar's echo does not explain starts a burst
   * (and ducks) before the VAD hears speech in it; without speech soon, it ends.
   */
  sound(): void {
    const b = this.burst;
    if (b) {
      if (!b.vad && !b.utterance && this.clock.now() - b.startAt > SOUND_CONFIRM_MS + ECHO_LOOK_MS) this.end();
      else this.judge(); // the echo guard hears more with every packet
      return;
    }
    if (this.current === null && this.act.avatarSpeaking() && this.echo.userOnset()) this.start(false);
  }

  private start(vad: boolean): void {
    const now = this.clock.now();
    const burst = { startAt: now - ECHO_LOOK_MS, utterance: null, speechMs: 0, offsetMs: 0, transcript: null, heardUpTo: null, silentMs: 0, complete: false, ended: false, vad, ducked: false, syllables: 0, nonSpeech: false };
    this.burst = { ...burst, outcome: 'pending', goesOn: this.goesOn(now), onsetUnsure: this.echo.settling(now) };
    this.judge();
  }

  /** Whether speech starting at `at` is the user going on with what they said (see Burst.goesOn). */
  private goesOn(at: number): Burst['goesOn'] {
    if (this.act.avatarSpeaking() && !this.act.voiceStarted()) return 'before';
    const onset = this.act.voiceOnsetAt();
    return onset !== null && at - onset < REACTION_MS ? 'early' : null;
  }

  /** A burst begun while the echo was unknown: with the echo known now, does the user's own sound in it begin that early? */
  private confirmEarly(b: Burst): void {
    if (!b.onsetUnsure) return;
    b.onsetUnsure = false;
    const userAt = this.echo.userOnsetIn(b.startAt, this.clock.now());
    if (b.goesOn === 'early' && (userAt === null || this.goesOn(userAt) !== 'early')) b.goesOn = null;
  }

  misfire(): void {
    if (this.burst && !this.burst.utterance) this.end();
  }

  speechStart(utterance: string): void {
    this.current = utterance;
    // the last one's words never came (its final was not sent): an ordinary utterance; this one is judged afresh
    if (this.burst?.outcome === 'pending' && this.burst.utterance && this.burst.utterance !== utterance) this.end();
    if (!this.burst && this.act.avatarSpeaking()) this.maybeSpeech();
    if (this.burst && !this.burst.utterance) this.burst.utterance = utterance;
    if (this.burst && this.burst.outcome !== 'pending' && this.burst.outcome !== 'interrupt') this.ignoredUtterances.add(utterance);
  }

  speaking(spokenMs: number, silentMs = 0): void {
    const b = this.burst;
    if (!b) return;
    const wasEnded = b.ended;
    b.speechMs = spokenMs - b.offsetMs;
    b.silentMs = silentMs;
    if (silentMs === 0) b.complete = false; // more speech than the complete words heard
    // a backchannel is judged once it has stopped, not when the end of turn is decided
    b.ended = silentMs >= PAUSE_ENDS_BURST_MS;
    const now = this.clock.now();
    // the user started talking over the avatar's echo, or went on after a backchannel in the same
    // utterance ("うん、でも違います"): judge that speech afresh (the utterance is a turn again if it interrupts)
    const talksOverEcho = b.outcome === 'echo' && this.echo.judge(now - REOPEN_LOOK_MS, now) === 'user';
    const goesOnAfterBackchannel = (b.outcome === 'backchannel' || b.outcome === 'noise') && wasEnded && silentMs === 0;
    if (talksOverEcho || goesOnAfterBackchannel) {
      Object.assign(b, { outcome: 'pending', startAt: now - ECHO_LOOK_MS, offsetMs: spokenMs, speechMs: 0, transcript: null, heardUpTo: null, complete: false, ended: false, nonSpeech: false });
      if (b.utterance) this.ignoredUtterances.delete(b.utterance);
    }
    this.judge();
  }

  /** Words of the utterance: a partial, or `complete` ones (the early final, the final). */
  words(utterance: string, text: string, complete = false, heardUpTo: number | null = null): void {
    if (this.burst?.utterance !== utterance) return;
    this.burst.transcript = text;
    this.burst.heardUpTo = heardUpTo;
    this.burst.complete = complete;
    if (text.trim()) this.burst.nonSpeech = false;
    this.judge();
    if (complete && this.burst?.ended && this.burst.outcome === 'pending') this.end(); // an ordinary utterance
  }

  /** A transcript of the utterance was non-speech marks only: the recogniser heard a sound, not a voice. */
  nonSpeech(utterance: string, heardUpTo: number | null): void {
    const b = this.burst;
    if (b?.utterance !== utterance || b.outcome !== 'pending') return;
    Object.assign(b, { transcript: '', heardUpTo, nonSpeech: true });
    this.judge();
  }

  speechEnd(utterance: string): void {
    if (this.current === utterance) this.current = null;
    if (this.burst?.utterance !== utterance) return;
    this.burst.ended = true;
    this.judge();
    if (this.burst?.outcome === 'pending' && !this.burst.complete) return; // the final will decide
    this.end();
  }

  /** The utterance is being judged, or was judged not a turn: its transcripts are not shown. */
  holds(utterance: string): boolean {
    return this.ignoredUtterances.has(utterance) || (this.burst?.utterance === utterance && this.burst.outcome === 'pending');
  }

  /** How soon the utterance's words are wanted: at once while it is judged; not at all once judged echo or a backchannel. */
  wordsWanted(utterance: string): 'sooner' | 'usual' | 'no' {
    if (this.burst?.utterance === utterance && this.burst.outcome === 'pending') return 'sooner';
    return this.ignoredUtterances.has(utterance) ? 'no' : 'usual';
  }

  /** Utterances that were the avatar's echo, a backchannel or a noise: they start no turn. */
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
    // speech that began before the answer's voice: the user had only paused (once the VAD confirms it)
    if (b.goesOn === 'before') {
      if (b.utterance) this.settle('interrupt');
      return;
    }
    // the avatar's voice has just started and the guard does not know its echo yet: this may be it
    if (this.echo.settling(this.clock.now())) return;
    this.confirmEarly(b);
    if (!b.ducked && !b.nonSpeech) {
      b.ducked = true;
      this.act.duck(this.opts.duckLevel);
    }
    // begun too soon after the voice to answer it, and not its echo: the user going on
    if (b.goesOn === 'early' && b.utterance && heard === 'user') return this.settle('interrupt');
    const user = this.echo.userLevels(b.startAt, this.clock.now());
    const syllables = countNuclei(user.levels, user.floor);
    b.syllables = syllables;
    const decision = decideBargeIn({ speechMs: b.speechMs, ended: b.ended, transcript: b.transcript, syllables, heardSpeechMs: this.heardSpeechMs(b), nonSpeech: b.nonSpeech }, this.opts);
    // a sound, not a voice, by its transcript: the avatar's voice back up while it lasts
    if (decision === 'wait' && b.nonSpeech && b.ducked) {
      b.ducked = false;
      this.act.duck(1);
    }
    // a partial may have missed the last words of a burst that ended: let it stop the avatar, not let it go on
    if (decision === 'backchannel' && !b.complete) return;
    if (decision !== 'wait') this.settle(decision);
  }

  /** The burst's speech that its transcript covers: all of it but what arrived after the transcript's audio. */
  private heardSpeechMs(b: Burst): number | undefined {
    if (b.heardUpTo === null) return undefined;
    const lastSpeechAt = this.clock.now() - b.silentMs;
    return Math.max(0, b.speechMs - Math.max(0, lastSpeechAt - b.heardUpTo));
  }

  private settle(outcome: Verdict): void {
    const b = this.burst!;
    b.outcome = outcome;
    this.logger.info({ outcome, speech_ms: Math.round(b.speechMs), syllables: b.syllables, echo_delay_ms: this.echo.echoDelayMs, goes_on: b.goesOn }, 'speech during the answer judged');
    if (outcome === 'interrupt') {
      this.act.interrupt(b.goesOn && b.utterance ? b.utterance : undefined);
      this.burst = null;
      return;
    }
    if (b.utterance) this.ignoredUtterances.add(b.utterance);
    if (b.ducked) this.act.duck(1);
    b.ducked = false;
    if (outcome === 'backchannel') this.act.acknowledge();
    // a backchannel's or a noise's burst stays until its utterance ends: more speech in it is judged afresh (speaking)
    if (b.ended && outcome === 'echo') this.burst = null;
  }

  private end(): void {
    const b = this.burst;
    if (b?.ducked) this.act.duck(1);
    this.burst = null;
  }
}
