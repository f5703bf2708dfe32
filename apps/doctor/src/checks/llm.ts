import type { ChatLlm } from '@va/providers';
import type { CheckResult } from './result.ts';
import { failed, round, spread } from './result.ts';

const MESSAGES = [
  { role: 'system' as const, content: 'You are a voice assistant. Answer in one short sentence.' },
  { role: 'user' as const, content: 'What colour is the sky on a clear day?' },
];

interface Sample {
  firstTokenMs: number;
  tokensPerS: number | null;
  text: string;
}

async function once(llm: ChatLlm, timeoutMs: number): Promise<Sample> {
  const started = performance.now();
  let first: number | undefined;
  let tokens = 0;
  let deltas = 0;
  let text = '';
  for await (const c of llm.stream({ messages: MESSAGES, maxTokens: 48, temperature: 0, signal: AbortSignal.timeout(timeoutMs) })) {
    if (c.type === 'text' && c.text) {
      first ??= performance.now();
      deltas++;
      text += c.text;
    }
    if (c.type === 'usage') tokens = c.completionTokens;
  }
  const end = performance.now();
  if (first === undefined) throw new Error('the stream finished without any answer text');
  const n = tokens || deltas;
  return { firstTokenMs: first - started, tokensPerS: n > 1 && end > first ? ((n - 1) * 1000) / (end - first) : null, text };
}

/** One short chat stream (thinking off) per sample: first-token latency, decode rate, think leaks. */
export async function checkLlm(llm: ChatLlm, thinkSeen: () => number, samples: number, timeoutMs: number): Promise<CheckResult> {
  const base = { type: llm.type, base_url: llm.baseUrl };
  try {
    const window = await llm.contextWindow(AbortSignal.timeout(timeoutMs)).catch(() => null);
    const runs: Sample[] = [];
    await once(llm, timeoutMs); // warm-up, not counted (first request: connection, caches)
    for (let i = 0; i < samples; i++) runs.push(await once(llm, timeoutMs));
    const rates = runs.flatMap((r) => (r.tokensPerS === null ? [] : [r.tokensPerS]));
    const leaked = thinkSeen() > 0;
    const warnings: string[] = [];
    if (leaked) warnings.push('the model thought on a live turn although thinking is off (think block in the answer stream)');
    if (!window) warnings.push('context window unknown: set options.context_tokens so long prompts are trimmed, not cut by the server');
    return {
      ok: true,
      ...base,
      warnings,
      first_token_ms: spread(runs.map((r) => r.firstTokenMs)),
      tokens_per_s: rates.length ? round(rates.reduce((a, b) => a + b, 0) / rates.length) : null,
      think_leaked: leaked,
      n_ctx: window?.nCtx ?? null,
      n_ctx_source: window?.source ?? null,
      answer_chars: runs[0]?.text.length ?? 0,
    };
  } catch (err) {
    return failed(base.type, base.base_url, err);
  }
}
