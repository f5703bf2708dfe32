/** Signal helpers for audio tests: test tones and alignment by correlation. */

export function sine(freq: number, rate: number, samples: number, amplitude = 10000): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * freq * i) / rate));
  return out;
}

/** Pearson correlation of a and b shifted by `lag` (b[i + lag] vs a[i]), over the overlap. */
export function correlationAt(a: Int16Array, b: Int16Array, lag: number): number {
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, n = 0;
  for (let i = 0; i < a.length; i++) {
    const j = i + lag;
    if (j < 0 || j >= b.length) continue;
    const x = a[i]!, y = b[j]!;
    sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y; n++;
  }
  if (n === 0) return 0;
  const cov = sab - (sa * sb) / n;
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

/** The lag in [-maxLag, maxLag] where b matches a best, with its correlation. */
export function bestCorrelation(a: Int16Array, b: Int16Array, maxLag: number): { lag: number; r: number } {
  let best = { lag: 0, r: -2 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const r = correlationAt(a, b, lag);
    if (r > best.r) best = { lag, r };
  }
  return best;
}
