/**
 * Band-limited resampler: a Blackman-windowed sinc with `ZERO_CROSSINGS` lobes each side, read from a
 * finely sampled table with linear interpolation. The cut-off sits just below the lower Nyquist
 * frequency, so down-sampling is anti-aliased. Output length = round(n * outRate / inRate).
 */
const ZERO_CROSSINGS = 16;
const TABLE_RES = 512;
const table = buildTable();

function buildTable(): Float32Array {
  const n = ZERO_CROSSINGS * TABLE_RES;
  const t = new Float32Array(n + 2);
  for (let i = 0; i <= n; i++) {
    const x = i / TABLE_RES;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const w = 0.42 + 0.5 * Math.cos((Math.PI * x) / ZERO_CROSSINGS) + 0.08 * Math.cos((2 * Math.PI * x) / ZERO_CROSSINGS);
    t[i] = sinc * w;
  }
  return t;
}

function kernel(x: number): number {
  const a = Math.abs(x) * TABLE_RES;
  const i = Math.floor(a);
  if (i >= ZERO_CROSSINGS * TABLE_RES) return 0;
  const f = a - i;
  return table[i]! * (1 - f) + table[i + 1]! * f;
}

export function resample(input: Float32Array, inRate: number, outRate: number): Float32Array {
  if (inRate === outRate) return input.slice();
  const ratio = outRate / inRate;
  const outLen = Math.round(input.length * ratio);
  const out = new Float32Array(outLen);
  // Cut-off relative to the input rate: 1 when up-sampling, ratio when down-sampling (slightly lower).
  const cutoff = Math.min(1, ratio) * 0.97;
  const halfWidth = ZERO_CROSSINGS / cutoff;
  for (let j = 0; j < outLen; j++) {
    const center = j / ratio;
    const lo = Math.max(0, Math.ceil(center - halfWidth));
    const hi = Math.min(input.length - 1, Math.floor(center + halfWidth));
    let acc = 0;
    for (let i = lo; i <= hi; i++) acc += input[i]! * kernel((i - center) * cutoff);
    out[j] = acc * cutoff;
  }
  return out;
}
