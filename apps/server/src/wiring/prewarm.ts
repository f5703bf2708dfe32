import type { ProviderInfo } from '@va/pipeline';

/**
 * Keep-alive connections to the servers an answer needs, opened while the user is still speaking
 * (a server drops idle ones after ~5 s; a new TLS connection to a remote NIM costs a few round
 * trips): their health routes are probed. At most one round per `minIntervalMs`, whatever the
 * number of sessions.
 */
export function createPrewarm(targets: ProviderInfo[], minIntervalMs = 2000, now: () => number = () => performance.now()): () => void {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const t = now();
    if (t - last < minIntervalMs) return;
    last = t;
    for (const p of targets) void p.health(AbortSignal.timeout(2000)).catch(() => undefined);
  };
}
