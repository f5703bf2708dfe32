import type { DoctorReport } from './doctor.ts';

type Spread = { p50: number; p95: number } | undefined;
const ms = (s: Spread): string => (s ? `${s.p50} / ${s.p95} ms` : '-');
const get = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
}

/** The human table: one line per measurement, then warnings, connections and the prediction. */
export function formatReport(r: DoctorReport): string {
  const p = r.providers;
  const lines: string[][] = [['provider', 'status', 'measure', 'p50 / worst']];
  const status = (role: keyof DoctorReport['providers']): string => (p[role].ok ? 'ok' : `BROKEN: ${p[role].error ?? ''}`.slice(0, 70));
  lines.push([`llm (${p.llm.type})`, status('llm'), 'first token', ms(get(p.llm, 'first_token_ms') as Spread)]);
  if (p.llm.ok) {
    lines.push(['', '', 'decode', `${String(p.llm['tokens_per_s'] ?? '-')} tok/s`]);
    lines.push(['', '', 'think block leaked', String(p.llm['think_leaked'])]);
    lines.push(['', '', 'context (n_ctx)', `${String(p.llm['n_ctx'] ?? 'unknown')} (${String(p.llm['n_ctx_source'] ?? '-')})`]);
  }
  lines.push([`stt (${p.stt.type})`, status('stt'), 'en 2 s clip', ms(get(p.stt, 'en', 'latency_ms') as Spread)]);
  if (p.stt.ok) lines.push(['', '', 'ja 2 s clip', ms(get(p.stt, 'ja', 'latency_ms') as Spread)]);
  lines.push([`tts (${p.tts.type})`, status('tts'), 'en clause first byte', ms(get(p.tts, 'en', 'first_byte_ms') as Spread)]);
  if (p.tts.ok) {
    lines.push(['', '', 'ja clause first byte', ms(get(p.tts, 'ja', 'first_byte_ms') as Spread)]);
    lines.push(['', '', 'real-time factor en / ja', `${String(get(p.tts, 'en', 'rtf'))} / ${String(get(p.tts, 'ja', 'rtf'))}`]);
  }
  lines.push([`embedding (${p.embedding.type})`, status('embedding'), 'one query', ms(get(p.embedding, 'latency_ms') as Spread)]);
  if (p.embedding.ok) lines.push(['', '', 'dimension', String(p.embedding['dimension'])]);
  for (const [role, c] of Object.entries(r.connections)) {
    lines.push([`connection ${role}`, c.pooled_ms === null ? 'unreachable' : c.nagle_suspected ? 'NAGLE' : 'ok', `pooled / fresh GET ${c.path}`, `${c.pooled_ms ?? '-'} / ${c.fresh_ms ?? '-'} ms`]);
  }
  const widths = [0, 1, 2, 3].map((i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  const out = lines.map((l) => row(l, widths));
  for (const role of ['llm', 'stt', 'tts', 'embedding'] as const) for (const w of p[role].warnings) out.push(`warning ${role}: ${w}`);
  const f = r.predicted_first_audio_ms;
  if (f) {
    const verdict = f.meets_target ? 'meets the 2 s target' : `MISSES the ${f.target} ms target: ${f.breaking_stage} is the largest stage`;
    out.push(`predicted end of speech -> first audio: p50 ${f.p50} ms, p95 ${f.p95} ms (${verdict})`);
    out.push(`  p95 stages: ${Object.entries(f.stages_p95).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  } else {
    out.push('predicted end of speech -> first audio: not available (a provider is broken)');
  }
  return out.join('\n');
}

/** The `--json` last line: `{"providers":{...},"predicted_first_audio_ms":{...}}` (plus connections). */
export function jsonLine(r: DoctorReport): string {
  return JSON.stringify({ providers: r.providers, predicted_first_audio_ms: r.predicted_first_audio_ms, connections: r.connections });
}
