import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Embedder } from '@va/pipeline';
import { ingestDirectory, loadRetriever, silentProgress, type Tokenizer } from '@va/rag';
import { summary } from '../latencies.ts';
import type { Question } from './corpus.ts';

export interface RagFigures {
  questions: number;
  chunks: number;
  recall_at_4: { overall: number; ja: number; en: number };
  mrr_at_10: number;
  query_ms: { p50: number; p95: number; n: number };
  ingest: { chunks_per_s: number; peak_rss_mb: number };
}

export interface QuestionResult {
  q: string;
  lang: string;
  kind: string;
  /** 1-based rank of the answering chunk in the top 10, 0 when absent. */
  rank: number;
  top: string;
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;
export const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** Ingests `docs` with `embedder` into a fresh index, then asks every question through the retriever. */
export async function evaluate(docs: string, embedder: Embedder, questions: Question[], tokenizer?: Tokenizer): Promise<{ figures: RagFigures; results: QuestionResult[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'va-rag-bench-'));
  try {
    const t0 = performance.now();
    const s = await ingestDirectory({ dir: docs, dataDir, embedder, progress: silentProgress, ...(tokenizer ? { tokenizer } : {}) });
    const ingestS = (performance.now() - t0) / 1000;
    const peak = peakRssMb();
    const retriever = await loadRetriever({ dataDir, embedder });
    for (const q of questions.slice(0, 3)) await retriever.retrieve(q.q, { k: 10, minScore: 0 }); // warm-up
    const results: QuestionResult[] = [];
    const ms: number[] = [];
    for (const q of questions) {
      const t = performance.now();
      const passages = await retriever.retrieve(q.q, { k: 10, minScore: 0 });
      ms.push(performance.now() - t);
      const rank = passages.findIndex((p) => p.text.includes(q.answer)) + 1;
      results.push({ q: q.q, lang: q.lang, kind: q.kind, rank, top: `${passages[0]?.source ?? '-'}: ${(passages[0]?.text ?? '').slice(0, 60).replace(/\n/g, ' ')}` });
    }
    const recall = (rs: QuestionResult[]): number => round(rs.filter((r) => r.rank >= 1 && r.rank <= 4).length / Math.max(1, rs.length));
    const figures: RagFigures = {
      questions: questions.length,
      chunks: s.chunks,
      recall_at_4: { overall: recall(results), ja: recall(results.filter((r) => r.lang === 'ja')), en: recall(results.filter((r) => r.lang === 'en')) },
      mrr_at_10: round(results.reduce((sum, r) => sum + (r.rank > 0 ? 1 / r.rank : 0), 0) / results.length),
      query_ms: summary(ms),
      ingest: { chunks_per_s: Math.round(s.chunks / ingestS), peak_rss_mb: peak },
    };
    return { figures, results };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
