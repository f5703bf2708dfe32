import type { Embedder } from '@va/pipeline';
import type { CheckResult } from './result.ts';
import { failed, spread } from './result.ts';

const QUERIES = ['What time does the library open?', '図書館は何時に開きますか？'];

/** One query embedding per sample (what a turn's retrieval sends): vector width and latency. */
export async function checkEmbedding(embedder: Embedder, samples: number, timeoutMs: number): Promise<CheckResult> {
  try {
    const ms: number[] = [];
    let dimension = 0;
    for (let i = 0; i <= samples; i++) {
      const t0 = performance.now();
      const [v] = await embedder.embed([QUERIES[i % QUERIES.length]!], AbortSignal.timeout(timeoutMs));
      if (i > 0) ms.push(performance.now() - t0); // the first is a warm-up
      dimension = v?.length ?? 0;
    }
    return { ok: true, type: embedder.type, base_url: embedder.baseUrl, warnings: [], dimension, latency_ms: spread(ms) };
  } catch (err) {
    return failed(embedder.type, embedder.baseUrl, err);
  }
}
