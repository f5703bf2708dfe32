import { describe, expect, it } from 'vitest';
import { Metrics } from '../metrics.ts';
import { healthBody, type HealthSources, type HealthWarning } from './health.ts';

/** /health from the metrics a real session reports into (turn-report.ts -> Metrics.observeTurn). */
function sources(metrics: Metrics): HealthSources {
  return {
    isMock: false,
    fallbackCount: () => metrics.totalFallbacks,
    thinkingTurns: () => metrics.thinkingTurns,
    providers: [],
    database: { backend: 'pglite', health: async () => ({ ok: true, latencyMs: 0 }), pending: () => 0 },
    index: { loaded: true },
    startedAt: 0,
    sessions: () => 0,
    voiceInput: { ja: true, en: true },
  };
}

const codes = (body: Record<string, unknown>) => (body['warnings'] as HealthWarning[]).map((w) => w.code);

describe('/health: thinking on live turns', () => {
  it('warns llm_thinking once a turn came back with a think block, and counts it in /metrics', () => {
    const metrics = new Metrics();
    metrics.observeTurn({}, { mode: 'voice', interrupted: false, thinkBlocks: 0 });
    expect(codes(healthBody(sources(metrics)))).not.toContain('llm_thinking');
    metrics.observeTurn({}, { mode: 'voice', interrupted: false, thinkBlocks: 1 });
    const body = healthBody(sources(metrics));
    expect(codes(body)).toContain('llm_thinking');
    expect(body['status']).toBe('degraded');
    expect(metrics.render()).toMatch(/^va_llm_thinking_turns_total 1$/m);
  });
});
