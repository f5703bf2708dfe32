import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Embedder, Logger } from '@va/pipeline';
import { FORMAT_VERSION, indexDirOf, indexedText, readGeneration, type ChunkRecord, type FileEntry, type StoredGeneration } from './index-store.ts';
import { loadText } from './load-file.ts';
import { silentProgress, type Progress } from './progress.ts';
import { CHUNK_OVERLAP, CHUNK_SIZE, createSplitter, splitSections, type Section } from './split.ts';
import { openGeneration, type OpenGeneration } from './store-reader.ts';
import { GenerationWriter } from './store-writer.ts';
import { defaultTokenizer, type Tokenizer } from './tokenize.ts';
import { walk, type FoundFile } from './walk.ts';

/** Default per-file size cap (a bigger file is refused with a line saying so). */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

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
  /** Files bigger than this are refused (default MAX_FILE_BYTES). */
  maxFileBytes?: number;
  /** Lexical tokeniser (default: the measured winner, see README). */
  tokenizer?: Tokenizer;
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
  /** Paths refused (symlink out of the folder, unreadable directory, over the size cap). */
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

interface Planned {
  f: FoundFile;
  size: number;
  sha256: string;
  /** Its previous entry, when its stored chunks may be reused (same embedding and chunking). */
  before: FileEntry | undefined;
  /** It was in the previous index (reported as updated rather than added). */
  known: boolean;
  /** keep: copy the previous chunks; index: read, split, embed. */
  action: 'keep' | 'index';
}

const sizeText = (n: number): string => (n < 1024 ? `${n} bytes` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);
const reasonOf = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));

/**
 * Indexes `dir` into `<dataDir>/index/`, one file at a time (memory bounded by the largest file, not
 * the folder): unchanged files (same sha256) reuse their stored vectors, new/changed files are split
 * and embedded in batches, deleted files drop out. Throws (leaving the previous index live) if the
 * embedder fails.
 */
export async function ingestDirectory(opts: IngestOptions): Promise<IngestSummary> {
  const t0 = performance.now();
  const progress = opts.progress ?? silentProgress;
  const indexDir = indexDirOf(opts.dataDir);
  const tokenizer = opts.tokenizer ?? (await defaultTokenizer());
  const chunking = { size: opts.chunkSize ?? CHUNK_SIZE, overlap: opts.chunkOverlap ?? CHUNK_OVERLAP };
  const model = opts.embeddingModel ?? null;
  const found = await walk(opts.dir);
  const prev = await readGeneration(indexDir).catch((err: unknown) => {
    opts.logger?.warn({ reason: reasonOf(err) }, 'ingest: previous index unreadable, re-embedding everything');
    return undefined;
  });
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
    chunks: prev?.manifest.rows ?? 0, embedded: 0, seconds: 0, generation: prev?.manifest.generation ?? '',
  };
  for (const r of summary.refused) progress.note(`refused: ${r.source}: ${r.reason}`);
  const plan = await planFiles(found.files, prev, compatible, opts.maxFileBytes ?? MAX_FILE_BYTES, summary, progress);
  const seen = new Set(found.files.map((f) => f.rel));
  summary.removed = Object.keys(prev?.manifest.files ?? {}).filter((s) => !seen.has(s)).sort();
  if (prev && summary.removed.length === 0 && plan.every((p) => p.action === 'keep')) {
    summary.seconds = (performance.now() - t0) / 1000;
    return summary;
  }

  const writer = await GenerationWriter.open(indexDir);
  const prevGen = prev ? await openGeneration(prev.dir, { indexes: false }) : undefined;
  try {
    const files = await writeFiles(plan, writer, prevGen, { ...opts, chunking }, summary, progress);
    progress.end();
    if (prev && summary.added.length + summary.updated.length + summary.removed.length === 0) {
      await writer.abort();
    } else {
      const manifest = {
        format: FORMAT_VERSION, createdAt: new Date().toISOString(), root: found.root,
        embedding: { type: opts.embedder.type, model, dims: null }, chunking, files,
      };
      progress.phase('indexing', 0);
      summary.generation = (await writer.finish(manifest, tokenizer)).generation;
      summary.chunks = writer.rows;
    }
  } catch (err) {
    await writer.abort();
    throw err;
  } finally {
    await prevGen?.close();
  }
  summary.seconds = (performance.now() - t0) / 1000;
  return summary;
}

/** Sizes and hashes every file; refuses the ones over the cap (a refused file indexed before keeps its chunks). */
async function planFiles(files: FoundFile[], prev: StoredGeneration | undefined, compatible: boolean, maxBytes: number, summary: IngestSummary, progress: Progress): Promise<Planned[]> {
  const plan: Planned[] = [];
  for (const f of files) {
    const known = prev?.manifest.files[f.rel] !== undefined;
    const before = compatible ? prev?.manifest.files[f.rel] : undefined;
    try {
      const size = (await stat(f.abs)).size;
      if (size > maxBytes) {
        const reason = `${sizeText(size)} is over the per-file limit of ${sizeText(maxBytes)} (INGEST_MAX_FILE_MB)${before ? '; previous version kept' : ''}`;
        summary.refused.push({ source: f.rel, reason });
        progress.note(`refused: ${f.rel}: ${reason}`);
        if (before) plan.push({ f, size, sha256: before.sha256, before, known, action: 'keep' });
        continue;
      }
      const sha256 = createHash('sha256').update(await readFile(f.abs)).digest('hex');
      plan.push({ f, size, sha256, before, known, action: before?.sha256 === sha256 ? 'keep' : 'index' });
    } catch (err) {
      void err; // reported as failed when it is read
      plan.push({ f, size: 0, sha256: '', before, known, action: 'index' });
    }
  }
  return plan;
}

interface WriteOptions extends IngestOptions {
  chunking: { size: number; overlap: number };
}

async function writeFiles(plan: Planned[], writer: GenerationWriter, prevGen: OpenGeneration | undefined, opts: WriteOptions, summary: IngestSummary, progress: Progress): Promise<Record<string, FileEntry>> {
  const files: Record<string, FileEntry> = {};
  const splitter = createSplitter(opts.chunking.size, opts.chunking.overlap);
  const now = new Date().toISOString();
  progress.phase('ingesting', plan.reduce((s, p) => s + p.size, 0), 'bytes');
  for (const p of plan) {
    opts.signal?.throwIfAborted();
    const keepPrevious = async (): Promise<void> => {
      if (p.before && prevGen) files[p.f.rel] = await writer.copy(prevGen, p.before, (_g, row, count) => prevGen.readRows(row, count));
    };
    if (p.action === 'keep') {
      if (!summary.refused.some((r) => r.source === p.f.rel)) summary.unchanged.push(p.f.rel);
      await keepPrevious();
      progress.advance(p.size);
      continue;
    }
    let sections: Section[];
    try {
      sections = await splitSections(await loadText(p.f.abs), splitter);
    } catch (err) {
      const reason = reasonOf(err);
      summary.failed.push({ source: p.f.rel, reason: p.before ? `${reason} (previous version kept)` : reason });
      progress.note(`failed: ${p.f.rel}: ${reason}`);
      opts.logger?.warn({ source: p.f.rel, reason }, 'ingest: file skipped');
      await keepPrevious();
      progress.advance(p.size);
      continue;
    }
    const documentId = documentIdOf(p.f.rel);
    const row = writer.rows;
    await embedSections(sections, p, documentId, writer, opts, summary, progress);
    files[p.f.rel] = {
      source: p.f.rel, documentId, sha256: p.sha256, size: p.size, ingestedAt: now, row,
      chunkIds: sections.map((_, n) => `${documentId}:${n}`),
    };
    (p.known ? summary.updated : summary.added).push(p.f.rel);
  }
  return files;
}

/** Embeds one file's chunks batch by batch, writing each batch before the next (bounded memory). */
async function embedSections(sections: Section[], p: Planned, documentId: string, writer: GenerationWriter, opts: WriteOptions, summary: IngestSummary, progress: Progress): Promise<void> {
  const batch = opts.batchSize ?? 32;
  let reported = 0;
  for (let i = 0; i < sections.length; i += batch) {
    opts.signal?.throwIfAborted();
    const records: ChunkRecord[] = sections.slice(i, i + batch).map((s, j) => ({
      chunkId: `${documentId}:${i + j}`, documentId, source: p.f.rel, n: i + j, ...(s.heading ? { heading: s.heading } : {}), text: s.text,
    }));
    const vectors = await opts.embedder.embed(records.map(indexedText), opts.signal);
    if (vectors.length !== records.length) throw new Error(`embedder returned ${vectors.length} vectors for ${records.length} texts`);
    await writer.add(records, vectors);
    summary.embedded += records.length;
    const done = Math.round((p.size * Math.min(sections.length, i + batch)) / sections.length);
    progress.advance(done - reported);
    reported = done;
  }
  if (sections.length === 0) progress.advance(p.size);
}
