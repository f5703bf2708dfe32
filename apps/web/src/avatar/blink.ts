/**
 * Pure blink scheduler: waits a random 2-6 s, then closes and opens the eyes over ~150 ms.
 * State in, state out; the random source is injected so tests are deterministic.
 */

export interface BlinkOptions {
  minIntervalS?: number;
  maxIntervalS?: number;
  durationMs?: number;
}

export interface BlinkState {
  /** seconds until the next blink starts (when not blinking) */
  untilNext: number;
  /** seconds into the current blink, or null when the eyes are open */
  blinkT: number | null;
}

const interval = (random: () => number, o: BlinkOptions): number => {
  const min = o.minIntervalS ?? 2;
  const max = o.maxIntervalS ?? 6;
  const r = random();
  return min + (max - min) * (Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 0.5);
};

export function initialBlinkState(random: () => number, opts: BlinkOptions = {}): BlinkState {
  return { untilNext: interval(random, opts), blinkT: null };
}

export function stepBlink(
  state: BlinkState,
  dtSeconds: number,
  random: () => number,
  opts: BlinkOptions = {},
): BlinkState {
  const dt = Number.isFinite(dtSeconds) ? Math.max(0, dtSeconds) : 0;
  const dur = (opts.durationMs ?? 150) / 1000;
  if (state.blinkT !== null) {
    const t = state.blinkT + dt;
    if (t >= dur) return { untilNext: interval(random, opts), blinkT: null };
    return { untilNext: state.untilNext, blinkT: t };
  }
  const left = state.untilNext - dt;
  if (left > 0) return { untilNext: left, blinkT: null };
  return { untilNext: 0, blinkT: Math.min(-left, dur * 0.99) };
}

/** Eye closure 0..1: a smooth close-then-open curve over the blink duration. */
export function blinkWeight(state: BlinkState, opts: BlinkOptions = {}): number {
  if (state.blinkT === null) return 0;
  const dur = (opts.durationMs ?? 150) / 1000;
  const x = Math.min(1, Math.max(0, state.blinkT / dur));
  return Math.sin(Math.PI * x) ** 0.7;
}
