import hnswlib from 'hnswlib-node';
import { HNSW_EF, HNSW_EF_CONSTRUCTION, HNSW_M, HNSW_SEGMENT_ROWS, searchSegments } from '@va/rag';
import { featureVector } from '@va/standins';
import { summary } from '../latencies.ts';
import { enSection, jaSection, prng } from './corpus.ts';
import { FACTS } from './facts.ts';

/**
 * `npm run bench -- --rag --ann-check [--ann-n 100000]`: does the HNSW index (the ingest's M,
 * efConstruction and segments, the retriever's ef and segment merge) find what exact search finds? n chunk-like texts of the
 * benchmark's domain, embedded with the embedded embedder; agreement = share of the exact top 10
 * that HNSW returns (a neighbour tied with the exact 10th counts), over 200 queries (the benchmark's
 * questions and section-like texts).
 */
export interface AnnFigures {
  chunks: number;
  queries: number;
  agreement_at_10: number;
  by_ef: Record<string, number>;
  by_ef_within_1pct: Record<string, number>;
  m: number;
  ef_construction: number;
  segment_rows: number;
  segments: number;
  build_s: number;
  ann_query_ms: { p50: number; p95: number; n: number };
  exact_query_ms: { p50: number; p95: number; n: number };
}

const DIMS = 384;

/** The exact top k (row ids) and the k-th similarity. */
function exactTop(vectors: Float32Array, n: number, q: Float32Array, k: number): { rows: number[]; kth: number } {
  const best: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    let dot = 0;
    const o = i * DIMS;
    for (let d = 0; d < DIMS; d++) dot += vectors[o + d]! * q[d]!;
    if (best.length < k || dot > best[best.length - 1]![1]) {
      best.push([i, dot]);
      best.sort((a, b) => b[1] - a[1]);
      if (best.length > k) best.pop();
    }
  }
  return { rows: best.map(([i]) => i), kth: best[best.length - 1]?.[1] ?? 0 };
}

export function annCheck(n: number, log: (s: string) => void, params: { m?: number; efConstruction?: number; segmentRows?: number } = {}): AnnFigures {
  const m = params.m ?? HNSW_M;
  const efConstruction = params.efConstruction ?? HNSW_EF_CONSTRUCTION;
  const r = prng(11);
  const vectors = new Float32Array(n * DIMS);
  for (let i = 0; i < n; i++) vectors.set(featureVector(i % 2 ? jaSection(r, i) : enSection(r, i), DIMS), i * DIMS);
  log(`ann-check: ${n} vectors embedded`);
  const t0 = performance.now();
  const segmentRows = params.segmentRows ?? HNSW_SEGMENT_ROWS;
  const segments: Array<InstanceType<typeof hnswlib.HierarchicalNSW>> = [];
  for (let start = 0; start < n; start += segmentRows) {
    const count = Math.min(segmentRows, n - start);
    const index = new hnswlib.HierarchicalNSW('cosine', DIMS);
    index.initIndex({ maxElements: count, m, efConstruction, randomSeed: 100 });
    for (let i = start; i < start + count; i++) index.addPoint(Array.from(vectors.subarray(i * DIMS, (i + 1) * DIMS)), i);
    segments.push(index);
  }
  const buildS = (performance.now() - t0) / 1000;
  log(`ann-check: HNSW built in ${buildS.toFixed(1)} s (M ${m}, efConstruction ${efConstruction}, ${segments.length} segments of <= ${segmentRows} rows)`);
  const questions = FACTS.flatMap((f) => f.questions.map(([q]) => q));
  const texts = [...questions, ...Array.from({ length: 200 - questions.length }, (_, i) => (i % 2 ? jaSection(r, i) : enSection(r, i)).slice(0, 80))];
  const queries = texts.map((t) => featureVector(t, DIMS));
  const exactMs: number[] = [];
  const exact = queries.map((q) => {
    const t = performance.now();
    const top = exactTop(vectors, n, q, 10);
    exactMs.push(performance.now() - t);
    return top;
  });
  const byEf: Record<string, number> = {};
  const byEfEps: Record<string, number> = {};
  let annMs: number[] = [];
  for (const ef of [...new Set([64, 128, HNSW_EF, 256, 512, 1024])].sort((a, b) => a - b)) {
    for (const index of segments) index.setEf(ef);
    const ms: number[] = [];
    let agree = 0;
    let agreeEps = 0;
    queries.forEach((q, i) => {
      const t = performance.now();
      const got = searchSegments(segments, q, 10);
      ms.push(performance.now() - t);
      // A neighbour as similar as the exact 10th counts: the generated texts have many exact ties.
      agree += got.distances.filter((d) => 1 - d >= exact[i]!.kth - 1e-5).length / 10;
      // ann-benchmarks' epsilon recall: within 1% of the exact 10th neighbour's distance.
      agreeEps += got.distances.filter((d) => d <= (1 - exact[i]!.kth) * 1.01 + 1e-6).length / 10;
    });
    byEf[String(ef)] = Math.round((agree / queries.length) * 1000) / 1000;
    byEfEps[String(ef)] = Math.round((agreeEps / queries.length) * 1000) / 1000;
    if (ef === HNSW_EF) annMs = ms;
    log(`ann-check: ef ${ef}: agreement@10 ${byEf[String(ef)]} (within 1%: ${byEfEps[String(ef)]}), query p50 ${summary(ms).p50} p95 ${summary(ms).p95} ms`);
  }
  return {
    chunks: n, queries: queries.length, agreement_at_10: byEf[String(HNSW_EF)]!, by_ef: byEf, by_ef_within_1pct: byEfEps, m, ef_construction: efConstruction, segment_rows: segmentRows, segments: segments.length,
    build_s: Math.round(buildS * 10) / 10, ann_query_ms: summary(annMs), exact_query_ms: summary(exactMs),
  };
}
