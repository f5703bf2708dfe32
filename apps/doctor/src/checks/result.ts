/** What one provider check found. `ok` false = broken (the doctor exits non-zero). */
export interface CheckResult {
  ok: boolean;
  type: string;
  base_url: string;
  /** Why it is broken (ProviderError code and message). */
  error?: string;
  /** Works, but not as this pipeline needs (language not honoured, thinking leaked...). */
  warnings: string[];
  [measure: string]: unknown;
}

/** Median and worst of a few samples (a doctor run is short: "p95" is the worst of N). */
export function spread(values: number[]): { p50: number; p95: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
  return { p50: round(mid), p95: round(sorted.at(-1) ?? Number.NaN) };
}

export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

export function describeError(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err) return `${String((err as { code: unknown }).code)}: ${String((err as { message?: unknown }).message)}`;
  return err instanceof Error ? err.message : String(err);
}

export function failed(type: string, baseUrl: string, err: unknown): CheckResult {
  return { ok: false, type, base_url: baseUrl, error: describeError(err), warnings: [] };
}
