import type { TurnInput } from '../answer/turn.ts';
import type { Speculation } from './preemptive.ts';
import type { SessionOutput } from './types.ts';

/** The answer the session is running (at most one; a new one aborts it first). */
export interface ActiveTurn {
  id: string;
  controller: AbortController;
  done: Promise<void>;
  /** A voice turn: what the user said, and when its answer's first audio was sent (continuation.ts). */
  voice: { text: string; voicedAt: number | null } | null;
}

/** How a turn is started: from held work, for text chat. */
export type TurnOptions = Pick<TurnInput, 'early'> & {
  speak?: boolean;
  output?: SessionOutput;
  transcriptEarly?: boolean;
  /** A held preemptive answer for these words: committed instead of starting a new one. */
  speculation?: Speculation | null;
  /** Calls of discarded preemptive answers for this utterance. */
  wasted?: { llm: number; tts: number };
};

/**
 * The output an answer speaks through: `tts.start` marks the session speaking, and each audio frame
 * is noted (`onAudio`: the echo reference, the turn's first audio) before it goes to the page.
 */
export function speakingOutput(output: SessionOutput, speaking: () => void, onAudio: (f: Parameters<SessionOutput['sendAudio']>[0]) => void): SessionOutput {
  return {
    sendEvent: (m) => {
      if (m.type === 'tts.start') speaking();
      output.sendEvent(m);
    },
    sendAudio: (f) => {
      onAudio(f);
      return output.sendAudio(f);
    },
  };
}
