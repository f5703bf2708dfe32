/** Nearest-rank percentile (p in 0..100) of unsorted values; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? null;
}

export interface Summary {
  count: number;
  p50: number | null;
  p95: number | null;
}

export function summarize(values: readonly number[]): Summary {
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return { count: values.length, p50: round(percentile(values, 50)), p95: round(percentile(values, 95)) };
}
