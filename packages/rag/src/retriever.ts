import type { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { Embedder, Logger, Passage, Retriever } from '@va/pipeline';
import { EmbedderEmbeddings } from './embedder-embeddings.ts';
import { indexDirOf, loadHnsw, readCurrentName, readManifest } from './index-store.ts';
import { join } from 'node:path';

export interface RetrieverOptions {
  dataDir: string;
  embedder: Embedder;
  logger?: Logger;
}

export interface ReloadableRetriever extends Retriever {
  /** Generation in use, undefined when no index is loaded. */
  readonly generation: string | undefined;
  /** Number of chunks in the loaded index. */
  readonly size: number;
  /** Picks up a newer ingest if CURRENT changed. Resolves true if a different index is now live. */
  reload(): Promise<boolean>;
}

interface Loaded {
  generation: string;
  store: HNSWLib | undefined;
  size: number;
  dims: number | null;
}

/**
 * HNSW cosine space returns distance = 1 - cos(a, b). The port wants a similarity in [0, 1]:
 * we use the cosine itself, clamped (negative cosine means unrelated, so 0).
 */
export const similarityFromCosineDistance = (d: number): number => Math.min(1, Math.max(0, 1 - d));

/** Loads the live index under `<dataDir>/index/`; `loaded` is false (and retrieve gives []) when none exists. */
export async function loadRetriever(opts: RetrieverOptions): Promise<ReloadableRetriever> {
  const indexDir = indexDirOf(opts.dataDir);
  const embeddings = new EmbedderEmbeddings(opts.embedder);
  let current: Loaded | undefined;
  let reloading: Promise<boolean> | undefined;

  async function load(): Promise<boolean> {
    const name = await readCurrentName(indexDir);
    if (name === current?.generation) return false;
    if (!name) {
      current = undefined;
      return true;
    }
    const dir = join(indexDir, name);
    const manifest = await readManifest(dir);
    const store = await loadHnsw(dir, embeddings);
    const size = store ? store.index.getCurrentCount() : 0;
    current = { generation: name, store, size, dims: manifest.embedding.dims };
    opts.logger?.info({ generation: name, chunks: size, files: Object.keys(manifest.files).length }, 'rag index loaded');
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
      return current?.size ?? 0;
    },
    reload,
    async retrieve(query, { k, minScore, signal }): Promise<Passage[]> {
      const live = current;
      if (!live?.store || live.size === 0 || k <= 0 || query.trim() === '') return [];
      const [vector] = await opts.embedder.embed([query], signal);
      if (!vector) throw new Error('embedder returned no vector for the query');
      if (live.dims !== null && vector.length !== live.dims) {
        throw new Error(`query embedding has ${vector.length} dims, index has ${live.dims}; re-run ingest with the current embedding model`);
      }
      signal?.throwIfAborted();
      const hits = await live.store.similaritySearchVectorWithScore(Array.from(vector), Math.min(k, live.size));
      return hits
        .map(([doc, distance]): Passage => {
          const m = doc.metadata as { chunkId: string; documentId: string; source: string };
          return { documentId: m.documentId, chunkId: m.chunkId, source: m.source, text: doc.pageContent, score: similarityFromCosineDistance(distance) };
        })
        .filter((p) => p.score >= minScore)
        .sort((a, b) => b.score - a.score);
    },
  };
}
