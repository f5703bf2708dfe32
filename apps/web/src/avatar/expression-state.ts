/**
 * Pure state for server-driven expressions (`avatar_event` kind "expression") and gaze ("look").
 * One emotion at a time: a new one fades the previous out; a timed one fades back to neutral.
 */

export const EMOTIONS = ['happy', 'sad', 'angry', 'surprised', 'relaxed', 'neutral'] as const;

export interface ExpressionState {
  /** current emotion name and its requested weight */
  name: string | null;
  weight: number;
  /** time (s) at which the current emotion started and when it ends (null = holds) */
  startS: number;
  endS: number | null;
  /** the previous emotion, fading out */
  prevName: string | null;
  prevWeight: number;
  prevEndS: number;
  /** 0 = looking at the user, 1 = looking away */
  lookAwayTarget: number;
  /** time (s) a nod (gesture "nod", e.g. after the user's うん) started, or null */
  nodStartS: number | null;
}

export const FADE_S = 0.25;

export function createExpressionState(): ExpressionState {
  return {
    name: null,
    weight: 0,
    startS: 0,
    endS: null,
    prevName: null,
    prevWeight: 0,
    prevEndS: 0,
    lookAwayTarget: 0,
    nodStartS: null,
  };
}

export function setExpression(
  s: ExpressionState,
  name: string,
  weight: number,
  durationMs: number | null,
  nowS: number,
): ExpressionState {
  const w = Number.isFinite(weight) ? Math.min(1, Math.max(0, weight)) : 0;
  const current = currentWeights(s, nowS);
  const prevName = s.name !== null && s.name !== name ? s.name : null;
  const isNeutral = name === 'neutral';
  return {
    ...s,
    name: isNeutral ? null : name,
    weight: isNeutral ? 0 : w,
    startS: nowS,
    endS: durationMs === null || !Number.isFinite(durationMs) ? null : nowS + Math.max(0, durationMs) / 1000,
    prevName: isNeutral ? s.name : prevName,
    prevWeight: (isNeutral ? s.name : prevName) ? (current[(isNeutral ? s.name : prevName) ?? ''] ?? 0) : 0,
    prevEndS: nowS + FADE_S,
  };
}

export function setLook(s: ExpressionState, target: 'user' | 'away'): ExpressionState {
  return { ...s, lookAwayTarget: target === 'away' ? 1 : 0 };
}

/** Expression name -> weight right now (fade in, hold, fade out). */
export function currentWeights(s: ExpressionState, nowS: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (s.prevName && nowS < s.prevEndS) out[s.prevName] = s.prevWeight * ((s.prevEndS - nowS) / FADE_S);
  if (s.name) {
    const fadeIn = Math.min(1, (nowS - s.startS) / FADE_S);
    const fadeOut = s.endS === null ? 1 : Math.min(1, Math.max(0, (s.endS + FADE_S - nowS) / FADE_S));
    out[s.name] = Math.max(out[s.name] ?? 0, s.weight * Math.max(0, Math.min(fadeIn, fadeOut)));
  }
  return out;
}

/** The emotion shown right now (for debugging/tests), or null. */
export function activeExpression(s: ExpressionState, nowS: number): string | null {
  if (!s.name) return null;
  return s.endS !== null && nowS > s.endS + FADE_S ? null : s.name;
}

/** How long one nod takes (s): down, back up, a smaller second dip. */
export const NOD_S = 0.7;

/** A gesture from the server (`avatar_event` kind "gesture"); only "nod" is animated, others are ignored. */
export function startGesture(s: ExpressionState, name: string, nowS: number): ExpressionState {
  return name === 'nod' ? { ...s, nodStartS: nowS } : s;
}

/** Extra head pitch (radians, positive = down) of a nod in progress at `nowS`. */
export function nodPitch(s: ExpressionState, nowS: number): number {
  if (s.nodStartS === null) return 0;
  const t = nowS - s.nodStartS;
  if (t < 0 || t > NOD_S) return 0;
  // two dips, the second smaller: sin over two half-periods, decaying
  const phase = (t / NOD_S) * 2 * Math.PI;
  return 0.16 * Math.max(0, Math.sin(phase)) * (1 - t / NOD_S) + 0.06 * Math.max(0, -Math.sin(phase)) * (1 - t / NOD_S);
}
