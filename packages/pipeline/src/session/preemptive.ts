import type { ServerMessage, TurnStages } from '@va/protocol';
import type { AudioFrame } from '@va/protocol';
import { queryKey } from '../answer/early-retrieval.ts';
import type { Speaker } from '../answer/speaker.ts';
import type { TurnResult } from '../answer/turn.ts';
import type { SessionOutput } from './types.ts';

/** Keeps a held answer's events until it is confirmed; then passes them, and everything after, on. */
export class HeldOutput implements SessionOutput {
  private readonly buffer: ServerMessage[] = [];
  private target: SessionOutput | null = null;

  sendEvent(message: ServerMessage): void {
    if (this.target) this.target.sendEvent(message);
    else this.buffer.push(message);
  }

  sendAudio(frame: AudioFrame): boolean {
    return this.target ? this.target.sendAudio(frame) : false;
  }

  release(target: SessionOutput): void {
    this.target = target;
    for (const message of this.buffer.splice(0)) target.sendEvent(message);
  }
}

/** What a preemptive answer is started with; `launch` runs the turn (answer/turn.ts) held. */
export interface LaunchRequest {
  turnId: string;
  text: string;
  /** Clock time the user stopped speaking. */
  startedAt: number;
  signal: AbortSignal;
  output: SessionOutput;
  /** Filled in when the final transcript confirms the answer. */
  stages: Partial<TurnStages>;
  onSpeaker: (speaker: Speaker) => void;
  onLlmRequest: () => void;
}

/** A preemptive answer in flight. */
export class Speculation {
  readonly controller = new AbortController();
  readonly output = new HeldOutput();
  readonly stages: Partial<TurnStages> = {};
  readonly result: Promise<TurnResult | null>;
  private speaker: Speaker | null = null;
  private released = false;
  llmRequested = false;

  constructor(
    readonly turnId: string,
    readonly key: string,
    readonly from: 'partial' | 'final',
    text: string,
    startedAt: number,
    launch: (req: LaunchRequest) => Promise<TurnResult>,
  ) {
    this.result = launch({
      turnId, text, startedAt, signal: this.controller.signal, output: this.output, stages: this.stages,
      onSpeaker: (speaker) => {
        this.speaker = speaker;
        if (this.released) speaker.release();
      },
      onLlmRequest: () => (this.llmRequested = true),
    }).catch(() => null);
  }

  get ttsRequests(): number {
    return this.speaker?.ttsRequests ?? 0;
  }

  /** The turn is confirmed: its held events go to `target`, its voice starts; resolves with the turn's result. */
  commit(target: SessionOutput, stages: Partial<TurnStages>): Promise<TurnResult | null> {
    Object.assign(this.stages, stages);
    this.released = true;
    this.output.release(target);
    this.speaker?.release();
    return this.result;
  }
}

/**
 * Preemptive answer: during the end-of-turn silence the answer (retrieval, LLM, the first TTS
 * segment) starts from the settled text, held: nothing reaches the client. The final transcript
 * confirms it when it has the same words (`take`); speech resuming, other words or an
 * interruption discard it. At most one is in flight per session; discarded LLM/TTS calls are
 * counted against the utterance.
 */
export class PreemptiveAnswers {
  private current: Speculation | null = null;
  private wasted = { turnId: '', llm: 0, tts: 0 };

  constructor(private readonly launch: (req: LaunchRequest) => Promise<TurnResult>) {}

  /** The utterance `turnId` settled on `text`: answer it now unless that is already under way. */
  offer(turnId: string, text: string, from: 'partial' | 'final', startedAt: number): void {
    const key = queryKey(text);
    if (!key) return;
    if (this.current?.turnId === turnId && this.current.key === key) return;
    this.discard();
    this.current = new Speculation(turnId, key, from, text, startedAt, this.launch);
  }

  /** The held answer is not wanted (speech resumed, interrupted, closed). */
  discard(): void {
    const spec = this.current;
    if (!spec) return;
    this.current = null;
    spec.controller.abort(new Error('preemptive answer discarded'));
    if (this.wasted.turnId !== spec.turnId) this.wasted = { turnId: spec.turnId, llm: 0, tts: 0 };
    if (spec.llmRequested) this.wasted.llm++;
    this.wasted.tts += spec.ttsRequests;
  }

  /** The final transcript of `turnId`: the held answer if it was for the same words, else null (discarded). */
  take(turnId: string, text: string): Speculation | null {
    const spec = this.current;
    if (spec && spec.turnId === turnId && spec.key === queryKey(text)) {
      this.current = null;
      return spec;
    }
    this.discard();
    return null;
  }

  /** LLM and TTS calls of discarded answers for the utterance `turnId`. */
  wastedFor(turnId: string): { llm: number; tts: number } {
    const w = this.wasted.turnId === turnId ? { llm: this.wasted.llm, tts: this.wasted.tts } : { llm: 0, tts: 0 };
    this.wasted = { turnId: '', llm: 0, tts: 0 };
    return w;
  }
}
