import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * On-disk layout, under `<DATA_DIR>/index/`:
 *   CURRENT                   name of the live generation (replaced atomically)
 *   <gen>/manifest.json       per-file sha256, document id, chunk rows; embedding, chunking, tokenizer
 *   <gen>/chunks.jsonl        one chunk per line (id, source, heading, text), row order
 *   <gen>/chunk-offsets.f64   byte offset of every line (+ the end), so a row is read without the rest
 *   <gen>/vectors.f32         every chunk's vector, row order (unchanged files are never re-embedded)
 *   <gen>/hnsw-<n>.index      hnswlib cosine index segments (HNSW_SEGMENT_ROWS rows each), label = row
 *   <gen>/lexical/            BM25 postings (terms.json, offsets.u32, rows.u32, tfs.u16, lengths.u32)
 * Each ingest writes a new generation and then flips CURRENT, so a reader never sees a half-written index.
 */
export const FORMAT_VERSION = 2;

export interface FileEntry {
  source: string;
  documentId: string;
  sha256: string;
  size: number;
  chunkIds: string[];
  ingestedAt: string;
  /** First row of this file's chunks in the generation (its chunks are consecutive). */
  row: number;
}

export interface Manifest {
  format: number;
  generation: string;
  createdAt: string;
  /** The ingested folder (absolute real path), for information. */
  root: string;
  embedding: { type: string; model: string | null; dims: number | null };
  chunking: { size: number; overlap: number };
  lexical: { tokenizer: string };
  hnsw: { m: number; efConstruction: number; segments: number };
  rows: number;
  files: Record<string, FileEntry>;
}

/** One chunk line of chunks.jsonl. `heading` is the Markdown heading path, kept apart from the text. */
export interface ChunkRecord {
  chunkId: string;
  documentId: string;
  source: string;
  /** Position of the chunk in its document. */
  n: number;
  heading?: string;
  text: string;
}

export interface StoredGeneration {
  dir: string;
  manifest: Manifest;
}

export const indexDirOf = (dataDir: string): string => join(dataDir, 'index');
/** What gets embedded and matched lexically: the heading path gives the chunk its context. */
export const indexedText = (c: Pick<ChunkRecord, 'heading' | 'text'>): string => (c.heading ? `${c.heading}\n${c.text}` : c.text);

/** Name of the live generation, or undefined when nothing was ingested yet. */
export async function readCurrentName(indexDir: string): Promise<string | undefined> {
  try {
    const name = (await readFile(join(indexDir, 'CURRENT'), 'utf8')).trim();
    return /^gen-[\w-]+$/.test(name) ? name : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function readManifest(genDir: string): Promise<Manifest> {
  const m = JSON.parse(await readFile(join(genDir, 'manifest.json'), 'utf8')) as Manifest;
  if (m.format !== FORMAT_VERSION) throw new Error(`index format ${String(m.format)} in ${genDir} is not ${FORMAT_VERSION}; re-run ingest with --force`);
  return m;
}

/** The live generation's manifest; undefined when nothing was ingested yet. Throws for an older format. */
export async function readGeneration(indexDir: string): Promise<StoredGeneration | undefined> {
  const name = await readCurrentName(indexDir);
  if (!name) return undefined;
  const dir = join(indexDir, name);
  return { dir, manifest: await readManifest(dir) };
}
