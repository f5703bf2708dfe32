import type { AudioFrame, ServerMessage } from '@va/protocol';
import type { Speaker } from '../answer/speaker.ts';
import { BargeInJudge } from './barge-in.ts';
import { EchoReference } from './echo-reference.ts';
import type { SessionDeps } from './types.ts';

/** After the last audio the page plays, its echo may still be in the mic for this long (ms). */
const ECHO_TAIL_MS = 400;

/**
 * The avatar's voice as the session sees it: what the page plays (for the echo guard) and the
 * speakers of the running or held answers (they stop synthesising ahead while the user may be
 * barging in: a TTS server cannot cancel).
 */
export class AvatarVoice {
  readonly echo: EchoReference;
  private readonly speakers = new Map<AbortSignal, Speaker>();

  constructor(private readonly deps: SessionDeps) {
    this.echo = new EchoReference(deps.clock);
  }

  /** A TTS frame went to the page. */
  sent(frame: AudioFrame): void {
    this.echo.sent(frame);
  }

  /** Playback was cleared on the page. */
  cleared(): void {
    this.echo.cleared();
  }

  /** Keeps a turn's speaker while the turn runs (forgotten when it is aborted or `forget` is called). */
  track(speaker: Speaker, signal: AbortSignal): void {
    if (signal.aborted) return;
    this.speakers.set(signal, speaker);
    signal.addEventListener('abort', () => this.speakers.delete(signal), { once: true });
  }

  forget(signal: AbortSignal): void {
    this.speakers.delete(signal);
  }

  /** Whether the avatar's voice may still be audible (its audio queued on the page, or its echo). */
  mayBePlaying(): boolean {
    return this.deps.clock.now() < this.echo.playingUntil + ECHO_TAIL_MS;
  }

  /**
   * The judge of speech during the answer (null when `config.bargeIn` is off): its ducking also
   * pauses synthesis ahead.
   */
  createJudge(act: {
    send: (m: ServerMessage) => void;
    turnId: () => string | null;
    answering: () => boolean;
    /** Clock time the running answer's first audio was sent to the page; null: none yet; undefined: no spoken answer runs. */
    answerVoicedAt: () => number | null | undefined;
    interrupt: (goesOn?: string) => void;
    ducked?: (on: boolean) => void;
  }): BargeInJudge | null {
    const opts = this.deps.config.bargeIn;
    if (!opts) return null;
    return new BargeInJudge(this.deps.clock, this.echo.guard, opts, {
      duck: (level) => {
        for (const sp of this.speakers.values()) sp.pausePrefetch(level < 1);
        act.send({ type: 'playback.duck', turn_id: act.turnId(), level });
        act.ducked?.(level < 1);
      },
      interrupt: act.interrupt,
      acknowledge: () => act.send({ type: 'avatar_event', turn_id: act.turnId(), event: { kind: 'gesture', name: 'nod' } }),
      avatarSpeaking: () => act.answering() || this.mayBePlaying(),
      voiceStarted: () => act.answerVoicedAt() !== null || this.mayBePlaying(),
      voiceOnsetAt: () => act.answerVoicedAt() ?? null,
    }, this.deps.logger);
  }

  close(): void {
    this.echo.close();
  }
}
