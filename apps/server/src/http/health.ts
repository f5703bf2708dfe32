import type { ProviderHealth, ProviderInfo } from '@va/pipeline';
import type { SessionLanguage } from '@va/protocol';

export interface HealthSources {
  isMock: boolean;
  fallbackCount: () => number;
  /** Live turns on which the LLM thought although thinking is off. */
  thinkingTurns?: () => number;
  providers: ProviderInfo[];
  database: { backend: string; health(): Promise<ProviderHealth>; pending(): number };
  index: { loaded: boolean; size?: number };
  startedAt: number;
  sessions: () => number;
  /** Per session language, whether the STT understands it. */
  voiceInput: Record<SessionLanguage, boolean>;
}

/** A `warnings` entry: a stable code to act on, and a sentence for people. */
export interface HealthWarning {
  code: 'standins_answering' | 'fallbacks_used' | 'llm_thinking' | 'stt_no_japanese' | 'no_document_index' | 'provider_unreachable' | 'database_unreachable';
  message: string;
}

function warnings(src: HealthSources): HealthWarning[] {
  const out: HealthWarning[] = [];
  if (src.isMock) out.push({ code: 'standins_answering', message: 'stand-in model servers are answering (is_mock): answers are not from the real models' });
  if (!src.voiceInput.ja) {
    out.push({
      code: 'stt_no_japanese',
      message: 'speech recognition is the English-only stand-in (pocketsphinx): Japanese sessions can type but their speech is not understood; point STT_BASE_URL at a whisper.cpp server',
    });
  }
  const fallbacks = src.fallbackCount();
  if (fallbacks > 0) out.push({ code: 'fallbacks_used', message: `${fallbacks} fallback(s) used since start (template apology or text without voice)` });
  const thinking = src.thinkingTurns?.() ?? 0;
  if (thinking > 0) {
    out.push({ code: 'llm_thinking', message: `the LLM thought on ${thinking} turn(s) although thinking is off: the server ignores the switch (the /no_think suffix is added for Qwen3; check the model and its chat template)` });
  }
  return out;
}

/** GET /health — liveness: the process is up. Never calls the providers. */
export function healthBody(src: HealthSources): Record<string, unknown> {
  const w = warnings(src);
  return {
    status: w.length > 0 ? 'degraded' : 'ok',
    is_mock: src.isMock,
    fallback_count: src.fallbackCount(),
    uptime_s: Math.round((Date.now() - src.startedAt) / 1000),
    sessions: src.sessions(),
    warnings: w,
  };
}

async function probe(p: ProviderInfo, timeoutMs: number): Promise<ProviderHealth> {
  try {
    return await p.health(AbortSignal.timeout(timeoutMs));
  } catch (error) {
    return { ok: false, detail: (error as Error).name === 'TimeoutError' ? 'timeout' : 'error', latencyMs: timeoutMs };
  }
}

/** GET /ready — each provider reachable, database reachable, index loaded. 503 when not ready. */
export async function readyBody(src: HealthSources, timeoutMs = 3000): Promise<{ status: number; body: Record<string, unknown> }> {
  const [providerResults, db] = await Promise.all([
    Promise.all(src.providers.map((p) => probe(p, timeoutMs))),
    src.database.health().catch((): ProviderHealth => ({ ok: false, detail: 'error', latencyMs: 0 })),
  ]);
  const providers = Object.fromEntries(
    src.providers.map((p, i) => {
      const h = providerResults[i]!;
      return [p.role, { ok: h.ok, type: p.type, base_url: p.baseUrl, latency_ms: Math.round(h.latencyMs), ...(h.detail ? { detail: h.detail } : {}) }];
    }),
  );
  const w = warnings(src);
  if (!src.index.loaded) w.push({ code: 'no_document_index', message: 'no document index loaded: run `npm run ingest -- <folder>`; answers use no documents' });
  const down = src.providers.filter((_, i) => !providerResults[i]!.ok).map((p) => p.role);
  for (const role of down) w.push({ code: 'provider_unreachable', message: `${role} provider is not reachable` });
  if (!db.ok) w.push({ code: 'database_unreachable', message: 'database is not reachable; turns are queued in memory until it returns' });
  const ready = down.length === 0 && db.ok;
  return {
    status: ready ? 200 : 503,
    body: {
      status: !ready ? 'not_ready' : w.length > 0 ? 'degraded' : 'ok',
      is_mock: src.isMock,
      fallback_count: src.fallbackCount(),
      providers,
      database: { ok: db.ok, backend: src.database.backend, pending_writes: src.database.pending(), ...(db.detail ? { detail: db.detail } : {}) },
      index: src.index,
      warnings: w,
    },
  };
}
