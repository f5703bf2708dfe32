import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Document } from '@langchain/core/documents';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { Embeddings } from '@langchain/core/embeddings';

/**
 * On-disk layout, under `<DATA_DIR>/index/`:
 *   CURRENT                 name of the live generation (replaced atomically)
 *   <gen>/manifest.json     per-file sha256, document id, chunk ids; embedding + chunking settings
 *   <gen>/chunks.json       every chunk's text and vector (base64 float32), so unchanged files are
 *                           never re-embedded and the HNSW index can be rebuilt without deletions
 *   <gen>/hnsw/             LangChain HNSWLib store (hnswlib.index, docstore.json, args.json)
 * Each ingest writes a new generation and then flips CURRENT, so a reader never sees a half-written index.
 */
export const FORMAT_VERSION = 1;

export interface FileEntry {
  source: string;
  documentId: string;
  sha256: string;
  size: number;
  chunkIds: string[];
  ingestedAt: string;
}

export interface Manifest {
  format: number;
  generation: string;
  createdAt: string;
  /** The ingested folder (absolute real path), for information. */
  root: string;
  embedding: { type: string; model: string | null; dims: number | null };
  chunking: { size: number; overlap: number };
  files: Record<string, FileEntry>;
}

export interface ChunkRecord {
  chunkId: string;
  documentId: string;
  source: string;
  /** Position of the chunk in its document. */
  n: number;
  text: string;
  /** base64 of little-endian float32 values. */
  vector: string;
}

export interface StoredGeneration {
  dir: string;
  manifest: Manifest;
  chunks: ChunkRecord[];
}

export const indexDirOf = (dataDir: string): string => join(dataDir, 'index');

export function encodeVector(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}
export function decodeVector(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  const out = new Float32Array(b.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = b.readFloatLE(i * 4);
  return out;
}

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
  if (m.format !== FORMAT_VERSION) throw new Error(`unsupported index format ${String(m.format)} in ${genDir}`);
  return m;
}

export async function readGeneration(indexDir: string): Promise<StoredGeneration | undefined> {
  const name = await readCurrentName(indexDir);
  if (!name) return undefined;
  const dir = join(indexDir, name);
  const manifest = await readManifest(dir);
  const chunks = JSON.parse(await readFile(join(dir, 'chunks.json'), 'utf8')) as ChunkRecord[];
  return { dir, manifest, chunks };
}

/** Loads the HNSW store of a generation; undefined when it holds no chunks. */
export async function loadHnsw(genDir: string, embeddings: Embeddings): Promise<HNSWLib | undefined> {
  try {
    return await HNSWLib.load(join(genDir, 'hnsw'), embeddings);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes a new generation (HNSW rebuilt from the stored vectors), flips CURRENT, prunes old ones. */
export async function writeGeneration(
  indexDir: string,
  manifest: Omit<Manifest, 'generation'>,
  chunks: ChunkRecord[],
  embeddings: Embeddings,
): Promise<Manifest> {
  await mkdir(indexDir, { recursive: true });
  const previous = await readCurrentName(indexDir);
  const generation = `gen-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
  const dir = join(indexDir, generation);
  await mkdir(dir, { recursive: true });
  const full: Manifest = { ...manifest, generation };

  if (chunks.length > 0) {
    const vectors = chunks.map((c) => Array.from(decodeVector(c.vector)));
    const store = new HNSWLib(embeddings, { space: 'cosine', numDimensions: vectors[0]?.length ?? 0 });
    await store.addVectors(
      vectors,
      chunks.map(
        (c) => new Document({ pageContent: c.text, metadata: { chunkId: c.chunkId, documentId: c.documentId, source: c.source } }),
      ),
    );
    await store.save(join(dir, 'hnsw'));
  }
  await writeFile(join(dir, 'chunks.json'), JSON.stringify(chunks));
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(full, null, 2));

  const tmp = join(indexDir, `CURRENT.${process.pid}.tmp`);
  await writeFile(tmp, `${generation}\n`);
  await rename(tmp, join(indexDir, 'CURRENT'));

  // Keep the previous generation so a reader that just read the old CURRENT can still load it.
  for (const name of await readdir(indexDir)) {
    if (name.startsWith('gen-') && name !== generation && name !== previous) {
      await rm(join(indexDir, name), { recursive: true, force: true });
    }
  }
  return full;
}
