import { join } from 'node:path';
import type { Embedder, Logger, Passage } from '@va/pipeline';
import { indexDirOf, readCurrentName } from './index-store.ts';
import { reciprocalRankFusion } from './fuse.ts';
import { openGeneration, type OpenGeneration } from './store-reader.ts';
import { tokenizerByName, type Tokenizer } from './tokenize.ts';

export interface RetrieverOptions {
  dataDir: string;
  embedder: Embedder;
  logger?: Logger;
  /** Candidates taken from each of the vector and the lexical search before fusion. Default FUSION.candidates. */
  candidates?: number;
  /** HNSW search breadth (ef). Default HNSW_EF (see the bench's --ann-check). */
  ef?: number;
  /** Reciprocal rank fusion constant. Default FUSION.rrfK. */
  rrfK?: number;
  /** Weight of the lexical list in the fusion (the vector list has 1). Default FUSION.lexicalWeight. */
  lexicalWeight?: number;
}

/** A retrieved passage; `heading` is the Markdown heading path of its section (context, not text to speak). */
export type RetrievedPassage = Passage & { heading?: string };

export interface ReloadableRetriever {
  readonly loaded: boolean;
  retrieve(query: string, opts: { k: number; minScore: number; signal?: AbortSignal }): Promise<RetrievedPassage[]>;
  /** Generation in use, undefined when no index is loaded. */
  readonly generation: string | undefined;
  /** Number of chunks in the loaded index. */
  readonly size: number;
  /** Picks up a newer ingest if CURRENT changed. Resolves true if a different index is now live. */
  reload(): Promise<boolean>;
}

export const HNSW_EF = 512;

/**
 * Fusion defaults, measured on the retrieval benchmark with the embedded embedder (recall@4 overall
 * 0.725 with the textbook k=60 and equal weights, 0.957 with these): a small k lets a list's first
 * ranks decide, and the lexical list counts twice because exact names, numbers and Japanese
 * compounds are what the vector search loses among near-duplicates.
 */
export const FUSION = { rrfK: 10, lexicalWeight: 2, candidates: 50 };

/**
 * HNSW cosine space returns distance = 1 - cos(a, b). The port wants a similarity in [0, 1]:
 * we use the cosine itself, clamped (negative cosine means unrelated, so 0).
 */
export const similarityFromCosineDistance = (d: number): number => Math.min(1, Math.max(0, 1 - d));

const cosine = (a: Float32Array, b: Float32Array): number => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
};

/**
 * Passage relevance in [0, 1]: the cosine similarity, raised towards the lexical coverage (share of
 * the question's IDF weight found in the passage) when that is higher, so an exact name or number
 * match is not dropped by `minScore` just because the embedder misses it.
 */
export const relevance = (cos: number, coverage: number): number => Math.min(1, Math.max(0, cos, (cos + coverage) / 2));


interface Live {
  generation: string;
  gen: OpenGeneration;
  tokenizer: Tokenizer;
}

/**
 * Hybrid retrieval over the live index under `<dataDir>/index/`: HNSW vector search and BM25 fused by
 * reciprocal rank; `loaded` is false (and retrieve gives []) when no index exists.
 */
export async function loadRetriever(opts: RetrieverOptions): Promise<ReloadableRetriever> {
  const indexDir = indexDirOf(opts.dataDir);
  let current: Live | undefined;
  let reloading: Promise<boolean> | undefined;

  async function load(): Promise<boolean> {
    const name = await readCurrentName(indexDir);
    if (name === current?.generation) return false;
    const old = current;
    if (!name) current = undefined;
    else {
      const gen = await openGeneration(join(indexDir, name)).catch((err: unknown) => {
        // An index of an older format (or a damaged one) must not stop the app: answer without documents.
        opts.logger?.warn({ generation: name, reason: err instanceof Error ? err.message : String(err) }, 'rag index not loaded; re-run ingest');
        return undefined;
      });
      if (!gen) {
        current = undefined;
        return old !== undefined;
      }
      for (const index of gen.hnsw) index.setEf(opts.ef ?? HNSW_EF);
      current = { generation: name, gen, tokenizer: await tokenizerByName(gen.manifest.lexical.tokenizer) };
      opts.logger?.info({ generation: name, chunks: gen.manifest.rows, files: Object.keys(gen.manifest.files).length }, 'rag index loaded');
    }
    // A retrieve still reading the old generation's files keeps them open until it settles.
    if (old) setTimeout(() => void old.gen.close().catch(() => {}), 5000).unref();
    return true;
  }

  const reload = (): Promise<boolean> => {
    reloading ??= load().finally(() => {
      reloading = undefined;
    });
    return reloading;
  };
  await reload();

  return {
    get loaded() {
      return current !== undefined;
    },
    get generation() {
      return current?.generation;
    },
    get size() {
      return current?.gen.manifest.rows ?? 0;
    },
    reload,
    async retrieve(query, { k, minScore, signal }) {
      const live = current;
      if (!live || live.gen.manifest.rows === 0 || k <= 0 || query.trim() === '') return [];
      return hybridSearch(live, opts, query, k, minScore, signal);
    },
  };
}

async function hybridSearch(live: Live, opts: RetrieverOptions, query: string, k: number, minScore: number, signal?: AbortSignal): Promise<RetrievedPassage[]> {
  const { gen } = live;
  const n = Math.min(Math.max(opts.candidates ?? FUSION.candidates, k), gen.manifest.rows);
  // The query's embedding is a round trip to the embedding server: the lexical search (CPU only)
  // runs while it is on the wire, so only the vector search and the fusion follow it.
  const embedding = opts.embedder.embed([query], signal);
  const terms = live.tokenizer.terms(query);
  const lexical = gen.lexical.search(terms, n);
  const [vector] = await embedding;
  if (!vector) throw new Error('embedder returned no vector for the query');
  const dims = gen.manifest.embedding.dims;
  if (dims !== null && vector.length !== dims) {
    throw new Error(`query embedding has ${vector.length} dims, index has ${dims}; re-run ingest with the current embedding model`);
  }
  signal?.throwIfAborted();
  const dense = gen.searchVector(vector, n);
  const fused = reciprocalRankFusion([dense.neighbors, lexical.map(([row]) => row)], opts.rrfK ?? FUSION.rrfK, [1, opts.lexicalWeight ?? FUSION.lexicalWeight]).slice(0, k);
  const cosOf = new Map(dense.neighbors.map((row, i) => [row, similarityFromCosineDistance(dense.distances[i]!)]));
  // The k passages are read from disk side by side, not one after another.
  const scored = await Promise.all(
    fused.map(async ([row]): Promise<RetrievedPassage | null> => {
      const [c, cos] = await Promise.all([gen.readRecord(row), cosOf.get(row) ?? gen.readVector(row).then((v) => cosine(vector, v))]);
      const score = relevance(cos, gen.lexical.coverage(terms, row));
      if (score < minScore) return null;
      return { documentId: c.documentId, chunkId: c.chunkId, source: c.source, text: c.text, score, ...(c.heading ? { heading: c.heading } : {}) };
    }),
  );
  return scored.filter((p): p is RetrievedPassage => p !== null);
}
