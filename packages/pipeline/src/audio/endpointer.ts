/**
 * Turn endpointing from per-frame speech probabilities. Pure: no I/O and no clock; time is
 * audio time, advanced by `frameMs` per pushed probability.
 *
 * idle --(p >= positive)--> tentative --(positive frames >= minSpeechMs)--> speaking [speech_start]
 * tentative --(silence >= redemptionMs)--> idle [misfire]
 * speaking --(p < negative for redemptionMs)--> idle [speech_end]
 * Frames with p >= negative keep a turn alive (hysteresis); only p < negative counts as silence.
 */

export interface EndpointerOptions {
  positiveThreshold?: number;
  negativeThreshold?: number;
  /** Speech (frames >= positiveThreshold) needed before a turn is announced. */
  minSpeechMs?: number;
  /** Silence that ends a turn (or abandons a tentative one). */
  redemptionMs?: number;
  /** Audio kept before the speech start; reported as `captureFromMs`. */
  preRollMs?: number;
  /** Duration of one probability frame (Silero at 16 kHz: 512 samples = 32 ms). */
  frameMs?: number;
}

export type EndpointEvent =
  | {
      type: 'speech_start';
      /** Audio time where speech began (start of the first positive frame). */
      atMs: number;
      /** max(0, atMs - preRollMs): where to start the utterance audio. */
      captureFromMs: number;
    }
  | {
      type: 'speech_end';
      /** Audio time where the final silence started. */
      atMs: number;
      /** atMs - speech start. */
      speechMs: number;
    }
  | {
      /** A burst of speech too short to be a turn was abandoned (never announced). */
      type: 'misfire';
      atMs: number;
      speechMs: number;
    };

export interface Endpointer {
  push(prob: number): EndpointEvent[];
  /** End of audio: close an open turn at the current time. */
  finish(): EndpointEvent[];
  reset(): void;
  /** Audio time after the last pushed frame. */
  readonly positionMs: number;
  readonly state: 'idle' | 'tentative' | 'speaking';
  /**
   * Speech to confirm a start (ms) for now, instead of `minSpeechMs`; null: back to `minSpeechMs`.
   * For a sound already judged to be the user's (not the avatar's echo) while the avatar speaks.
   */
  confirmStartAfter(ms: number | null): void;
}

export function createEndpointer(opts: EndpointerOptions = {}): Endpointer {
  const pos = opts.positiveThreshold ?? 0.5;
  const neg = opts.negativeThreshold ?? 0.35;
  const defaultMinSpeechMs = opts.minSpeechMs ?? 150;
  let minSpeechMs = defaultMinSpeechMs;
  const redemptionMs = opts.redemptionMs ?? 500;
  const preRollMs = opts.preRollMs ?? 300;
  const frameMs = opts.frameMs ?? 32;
  if (!(neg <= pos)) throw new RangeError('negativeThreshold must not exceed positiveThreshold');
  if (!(frameMs > 0)) throw new RangeError('frameMs must be positive');

  let state: 'idle' | 'tentative' | 'speaking' = 'idle';
  let frames = 0;
  let startMs = 0;
  let positiveMs = 0;
  let silenceStart: number | undefined;

  const now = (): number => frames * frameMs;

  function push(prob: number): EndpointEvent[] {
    const frameStart = now();
    frames++;
    const frameEnd = now();
    const events: EndpointEvent[] = [];
    if (state === 'idle') {
      if (prob >= pos) {
        state = 'tentative';
        startMs = frameStart;
        positiveMs = 0;
        silenceStart = undefined;
      } else {
        return events;
      }
    }
    if (prob >= neg) {
      silenceStart = undefined;
      if (prob >= pos) positiveMs += frameMs;
    } else {
      silenceStart ??= frameStart;
    }
    if (state === 'tentative' && positiveMs >= minSpeechMs) {
      state = 'speaking';
      events.push({ type: 'speech_start', atMs: startMs, captureFromMs: Math.max(0, startMs - preRollMs) });
    }
    if (silenceStart !== undefined && frameEnd - silenceStart >= redemptionMs) {
      if (state === 'speaking') {
        events.push({ type: 'speech_end', atMs: silenceStart, speechMs: silenceStart - startMs });
      } else {
        events.push({ type: 'misfire', atMs: silenceStart, speechMs: silenceStart - startMs });
      }
      state = 'idle';
      silenceStart = undefined;
    }
    return events;
  }

  function finish(): EndpointEvent[] {
    const end = silenceStart ?? now();
    const events: EndpointEvent[] = [];
    if (state === 'speaking') events.push({ type: 'speech_end', atMs: end, speechMs: end - startMs });
    else if (state === 'tentative') events.push({ type: 'misfire', atMs: end, speechMs: end - startMs });
    state = 'idle';
    silenceStart = undefined;
    return events;
  }

  return {
    push,
    finish,
    confirmStartAfter(ms) {
      minSpeechMs = ms ?? defaultMinSpeechMs;
    },
    reset() {
      state = 'idle';
      frames = 0;
      silenceStart = undefined;
      positiveMs = 0;
    },
    get positionMs() {
      return now();
    },
    get state() {
      return state;
    },
  };
}
