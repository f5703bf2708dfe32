import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Embedder, Logger } from '@va/pipeline';
import { EmbedderEmbeddings } from './embedder-embeddings.ts';
import {
  FORMAT_VERSION,
  encodeVector,
  indexDirOf,
  readGeneration,
  writeGeneration,
  type ChunkRecord,
  type FileEntry,
  type Manifest,
} from './index-store.ts';
import { loadText } from './load-file.ts';
import { silentProgress, type Progress } from './progress.ts';
import { CHUNK_OVERLAP, CHUNK_SIZE, createSplitter, splitText } from './split.ts';
import { walk } from './walk.ts';

export interface IngestOptions {
  /** Folder to index (recursively: .md, .markdown, .pdf). */
  dir: string;
  /** The index goes to `<dataDir>/index/`. */
  dataDir: string;
  embedder: Embedder;
  /** Recorded in the manifest; a different model than last time re-embeds everything. */
  embeddingModel?: string | undefined;
  /** Re-embed every file even when unchanged (e.g. the embedding model changed under the same name). */
  force?: boolean;
  /** Texts per embedding request. Default 32. */
  batchSize?: number;
  chunkSize?: number;
  chunkOverlap?: number;
  progress?: Progress;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface IngestSummary {
  added: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
  /** Could not be read/parsed. A file indexed before keeps its previous chunks. */
  failed: Array<{ source: string; reason: string }>;
  /** Paths refused (symlink out of the folder, unreadable directory). */
  refused: Array<{ source: string; reason: string }>;
  /** Chunks in the index after this run. */
  chunks: number;
  /** Chunks embedded in this run. */
  embedded: number;
  seconds: number;
  /** Live generation after the run (unchanged when nothing changed). */
  generation: string;
}

/** Stable per source path: first 12 hex of sha1 of the relative path. */
export const documentIdOf = (source: string): string => createHash('sha1').update(source).digest('hex').slice(0, 12);

interface Pending {
  source: string;
  entry: FileEntry;
  texts: string[];
}

/**
 * Indexes `dir` into `<dataDir>/index/`: unchanged files (same sha256) reuse their stored
 * vectors, new/changed files are split and embedded, deleted files drop out. Throws (leaving the
 * previous index live) if the embedder fails.
 */
export async function ingestDirectory(opts: IngestOptions): Promise<IngestSummary> {
  const t0 = performance.now();
  const progress = opts.progress ?? silentProgress;
  const indexDir = indexDirOf(opts.dataDir);
  const chunking = { size: opts.chunkSize ?? CHUNK_SIZE, overlap: opts.chunkOverlap ?? CHUNK_OVERLAP };
  const splitter = createSplitter(chunking.size, chunking.overlap);
  const model = opts.embeddingModel ?? null;

  const found = await walk(opts.dir);
  const prev = await readGeneration(indexDir);
  const prevChunks = new Map<string, ChunkRecord[]>();
  for (const c of prev?.chunks ?? []) prevChunks.set(c.source, [...(prevChunks.get(c.source) ?? []), c]);
  const compatible =
    opts.force !== true &&
    prev !== undefined &&
    prev.manifest.embedding.type === opts.embedder.type &&
    prev.manifest.embedding.model === model &&
    prev.manifest.chunking.size === chunking.size &&
    prev.manifest.chunking.overlap === chunking.overlap;

  const summary: IngestSummary = {
    added: [], updated: [], unchanged: [], removed: [], failed: [],
    refused: found.refused.map((r) => ({ source: r.rel, reason: r.reason })),
    chunks: 0, embedded: 0, seconds: 0, generation: prev?.manifest.generation ?? '',
  };
  for (const r of summary.refused) progress.note(`refused: ${r.source}: ${r.reason}`);

  const files: Record<string, FileEntry> = {};
  const kept: ChunkRecord[] = [];
  const pending: Pending[] = [];
  const now = new Date().toISOString();
  progress.phase('reading', found.files.length);
  for (const f of found.files) {
    opts.signal?.throwIfAborted();
    const before = prev?.manifest.files[f.rel];
    const keepPrevious = (): void => {
      if (!before) return;
      files[f.rel] = before;
      kept.push(...(prevChunks.get(f.rel) ?? []));
    };
    try {
      const bytes = await readFile(f.abs);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (compatible && before?.sha256 === sha256) {
        summary.unchanged.push(f.rel);
        keepPrevious();
      } else {
        const texts = await splitText(await loadText(f.abs, bytes), splitter);
        const documentId = documentIdOf(f.rel);
        const entry: FileEntry = {
          source: f.rel, documentId, sha256, size: bytes.byteLength, ingestedAt: now,
          chunkIds: texts.map((_, n) => `${documentId}:${n}`),
        };
        pending.push({ source: f.rel, entry, texts });
        (before ? summary.updated : summary.added).push(f.rel);
      }
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
      summary.failed.push({ source: f.rel, reason: before ? `${reason} (previous version kept)` : reason });
      progress.note(`failed: ${f.rel}: ${reason}`);
      opts.logger?.warn({ source: f.rel, reason }, 'ingest: file skipped');
      keepPrevious();
    }
    progress.advance();
  }
  const seen = new Set(found.files.map((f) => f.rel));
  summary.removed = Object.keys(prev?.manifest.files ?? {}).filter((s) => !seen.has(s)).sort();

  const fresh = await embedPending(pending, opts, progress);
  progress.end();
  summary.embedded = fresh.length;
  for (const p of pending) files[p.source] = p.entry;

  const dims = (fresh[0] ?? kept[0])?.vector;
  const width = dims ? Buffer.from(dims, 'base64').byteLength / 4 : null;
  const mixed = [...fresh, ...kept].some((c) => Buffer.from(c.vector, 'base64').byteLength / 4 !== width);
  if (mixed) throw new Error('embedding width changed since the last ingest; re-run with --force to re-embed every file');

  const changed = summary.added.length + summary.updated.length + summary.removed.length > 0;
  const all = [...kept, ...fresh].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.n - b.n));
  summary.chunks = all.length;
  if (changed || !prev) {
    const manifest: Omit<Manifest, 'generation'> = {
      format: FORMAT_VERSION,
      createdAt: now,
      root: found.root,
      embedding: { type: opts.embedder.type, model, dims: width },
      chunking,
      files,
    };
    summary.generation = (await writeGeneration(indexDir, manifest, all, new EmbedderEmbeddings(opts.embedder))).generation;
  }
  summary.seconds = (performance.now() - t0) / 1000;
  return summary;
}

async function embedPending(pending: Pending[], opts: IngestOptions, progress: Progress): Promise<ChunkRecord[]> {
  const work = pending.flatMap((p) =>
    p.texts.map((text, n) => ({ chunkId: `${p.entry.documentId}:${n}`, documentId: p.entry.documentId, source: p.source, n, text })),
  );
  const batch = opts.batchSize ?? 32;
  const out: ChunkRecord[] = [];
  progress.phase('embedding', work.length);
  for (let i = 0; i < work.length; i += batch) {
    opts.signal?.throwIfAborted();
    const slice = work.slice(i, i + batch);
    const vectors = await opts.embedder.embed(slice.map((w) => w.text), opts.signal);
    if (vectors.length !== slice.length) throw new Error(`embedder returned ${vectors.length} vectors for ${slice.length} texts`);
    slice.forEach((w, j) => out.push({ ...w, vector: encodeVector(vectors[j] as Float32Array) }));
    progress.advance(slice.length);
  }
  return out;
}
