export interface BackoffConfig {
  baseMs: number;
  maxMs: number;
  /** 0..1: fraction of the delay randomised ("equal jitter"). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffConfig = { baseMs: 500, maxMs: 15_000, jitter: 0.5 };

/** Delay before reconnect attempt `attempt` (0-based): base * 2^attempt, capped, with jitter. */
export function backoffDelay(attempt: number, cfg: BackoffConfig = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = Math.min(cfg.maxMs, cfg.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const fixed = exp * (1 - cfg.jitter);
  return Math.round(fixed + exp * cfg.jitter * random());
}

/** Close codes after which reconnecting cannot help (see the protocol's error catalog). */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([4000, 4001, 4003, 4004]);
