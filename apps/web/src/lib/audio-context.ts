/**
 * One AudioContext for the page (capture and playback), at the device's native rate: never
 * hard-code it (44.1 kHz in headless Chromium, often 48 kHz on desktops).
 * Browsers may start it suspended until a user gesture; resumeOnGesture() handles that.
 */
let shared: AudioContext | null = null;

export function getAudioContext(): AudioContext {
  if (!shared || shared.state === 'closed') {
    shared = new AudioContext({ latencyHint: 'interactive' });
    resumeOnGesture(shared);
  }
  return shared;
}

function resumeOnGesture(ctx: AudioContext): void {
  const events = ['pointerdown', 'keydown', 'touchend'] as const;
  const resume = () => {
    if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
    if (ctx.state === 'running' || ctx.state === 'closed') for (const e of events) window.removeEventListener(e, resume, true);
  };
  for (const e of events) window.addEventListener(e, resume, true);
  ctx.addEventListener('statechange', () => {
    if (ctx.state === 'running') for (const e of events) window.removeEventListener(e, resume, true);
  });
}

/** Maps an AudioContext time to performance.now() time; falls back to `now` when unknown. */
export function contextTimeToPerf(ctx: AudioContext, contextTime: number): number {
  const now = performance.now();
  const ts = typeof ctx.getOutputTimestamp === 'function' ? ctx.getOutputTimestamp() : null;
  if (!ts || ts.contextTime === undefined || ts.performanceTime === undefined || ts.performanceTime === 0) return now;
  const t = ts.performanceTime + (contextTime - ts.contextTime) * 1000;
  return t > now || now - t > 1000 ? now : t;
}
