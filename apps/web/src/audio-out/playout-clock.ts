/** What `AudioContext.getOutputTimestamp()` returns (either field may be missing or 0 before the output runs). */
export interface OutputTimestamp {
  contextTime?: number;
  performanceTime?: number;
}

export interface ContextTiming {
  /** `ctx.currentTime` (s): how far the graph has rendered. */
  currentTime: number;
  /** `ctx.baseLatency` (s): the context's own output buffering. */
  baseLatency: number;
  /** `ctx.outputLatency` (s): from the audio subsystem to the speakers. */
  outputLatency: number;
  timestamp: OutputTimestamp | null;
}

/** A mapped time further than this from now is not believed (a stale or bogus output timestamp). */
const MAX_SKEW_MS = 2000;

/**
 * When the sample the graph renders at `contextTime` (s) leaves the speakers, on the
 * performance.now() clock. The output timestamp pairs the context time of the sample the device
 * is playing at that moment with its performance time (Chromium: frames handed to the device
 * minus the device's reported delay), so mapping through it already includes the context's
 * buffering and the output latency; a sample just rendered is usually still ahead (the result
 * is then in the future). Without a usable timestamp: now + what the graph has rendered ahead of
 * `contextTime`'s render + baseLatency + outputLatency.
 */
export function audibleAtMs(contextTime: number, t: ContextTiming, nowMs: number): number {
  const ts = t.timestamp;
  if (ts && typeof ts.contextTime === 'number' && typeof ts.performanceTime === 'number' && ts.performanceTime > 0) {
    const at = ts.performanceTime + (contextTime - ts.contextTime) * 1000;
    if (Math.abs(at - nowMs) <= MAX_SKEW_MS) return at;
  }
  const latency = (Number.isFinite(t.baseLatency) ? t.baseLatency : 0) + (Number.isFinite(t.outputLatency) ? t.outputLatency : 0);
  return nowMs + (contextTime - t.currentTime) * 1000 + latency * 1000;
}

/** The timing of a live context, read now. */
export function contextTiming(ctx: AudioContext): ContextTiming {
  return {
    currentTime: ctx.currentTime,
    baseLatency: ctx.baseLatency || 0,
    outputLatency: ctx.outputLatency || 0,
    timestamp: typeof ctx.getOutputTimestamp === 'function' ? ctx.getOutputTimestamp() : null,
  };
}
