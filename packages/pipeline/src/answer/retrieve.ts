import type { Passage, Retriever } from '../ports.ts';
import type { RagOptions } from './early-retrieval.ts';

export interface Retrieved {
  passages: Passage[];
  /** Time the answer waited for documents (ms); null without an index. */
  waitedMs: number | null;
  /** The passages came from the early lookup. */
  early: boolean;
  error: unknown;
}

/**
 * Retrieve stage: the early lookup's passages when it was for these words, else a lookup bounded
 * by `rag.timeoutMs`. A failure answers without documents (`error` says why).
 */
export async function retrieve(
  retriever: Retriever | null,
  rag: RagOptions,
  now: () => number,
  req: { text: string; early: Promise<Passage[] | null> | null; signal: AbortSignal },
): Promise<Retrieved> {
  if (!retriever?.loaded) return { passages: [], waitedMs: null, early: false, error: null };
  const t = now();
  const waited = () => now() - t;
  const early = req.early ? await req.early : null;
  if (early) return { passages: early, waitedMs: waited(), early: true, error: null };
  try {
    const signal = AbortSignal.any([req.signal, AbortSignal.timeout(rag.timeoutMs)]);
    const passages = await retriever.retrieve(req.text, { k: rag.k, minScore: rag.minScore, signal });
    return { passages, waitedMs: waited(), early: false, error: null };
  } catch (error) {
    return { passages: [], waitedMs: waited(), early: false, error };
  }
}
