import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { LexicalBuilder } from './bm25.ts';
import { indexedText, readCurrentName, type ChunkRecord, type FileEntry, type Manifest, type StoredGeneration } from './index-store.ts';
import type { Tokenizer } from './tokenize.ts';

/**
 * HNSW build parameters, chosen with `npm run bench -- --rag --ann-check` (agreement@10 with exact
 * search at 100k chunks, query ef 512): M16/efC100 in 100k segments 0.943; 25k segments 0.967;
 * 12.5k segments 0.985; M24/efC200 in 25k segments 0.990 (p95 7.5 ms a query, 31 s to build 100k).
 */
export const HNSW_M = 24;
export const HNSW_EF_CONSTRUCTION = 200;

/**
 * Writes one generation as chunks arrive (appending to chunks.jsonl and vectors.f32, nothing held in
 * memory), then builds the HNSW and BM25 indexes from those files and flips CURRENT.
 */
export class GenerationWriter {
  rows = 0;
  dims: number | null = null;
  private offsets: number[] = [0];
  private bytes = 0;

  private constructor(
    readonly indexDir: string,
    readonly generation: string,
    readonly dir: string,
    private readonly chunks: FileHandle,
    private readonly vectors: FileHandle,
  ) {}

  static async open(indexDir: string): Promise<GenerationWriter> {
    await mkdir(indexDir, { recursive: true });
    const generation = `gen-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
    const dir = join(indexDir, generation);
    await mkdir(dir, { recursive: true });
    return new GenerationWriter(indexDir, generation, dir, await open(join(dir, 'chunks.jsonl'), 'w'), await open(join(dir, 'vectors.f32'), 'w'));
  }

  /** Appends chunks (consecutive rows) with their vectors. */
  async add(records: ChunkRecord[], vectors: Float32Array[]): Promise<void> {
    const lines: string[] = [];
    for (const r of records) {
      const line = `${JSON.stringify(r)}\n`;
      lines.push(line);
      this.bytes += Buffer.byteLength(line);
      this.offsets.push(this.bytes);
    }
    await this.chunks.write(lines.join(''));
    for (const v of vectors) {
      if (this.dims === null) this.dims = v.length;
      if (v.length !== this.dims) throw new Error('embedding width changed since the last ingest; re-run with --force to re-embed every file');
    }
    if (vectors.length) await this.vectors.write(Buffer.concat(vectors.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength))));
    this.rows += records.length;
  }

  /** Copies a file's chunks and vectors from the previous generation (no re-embedding). */
  async copy(prev: StoredGeneration, entry: FileEntry, readRows: (g: StoredGeneration, row: number, count: number) => Promise<{ records: ChunkRecord[]; vectors: Float32Array[] }>): Promise<FileEntry> {
    const row = this.rows;
    for (let i = 0; i < entry.chunkIds.length; i += 256) {
      const { records, vectors } = await readRows(prev, entry.row + i, Math.min(256, entry.chunkIds.length - i));
      await this.add(records, vectors);
    }
    return { ...entry, row };
  }

  /** Builds the indexes, writes the manifest and flips CURRENT; keeps the previous generation, prunes older ones. */
  async finish(manifest: Omit<Manifest, 'generation' | 'rows' | 'hnsw' | 'lexical'>, tokenizer: Tokenizer): Promise<Manifest> {
    await this.chunks.close();
    await this.vectors.close();
    const offsets = Float64Array.from(this.offsets);
    await writeFile(join(this.dir, 'chunk-offsets.f64'), Buffer.from(offsets.buffer));
    this.offsets = [];
    // Lexical first: its arrays are garbage-collected memory; the HNSW graph is native memory that
    // lives until its object is collected, so nothing big should be built after it.
    await buildLexical(this.dir, tokenizer);
    const segments = this.rows > 0 && this.dims ? await buildHnsw(this.dir, this.rows, this.dims) : 0;
    const full: Manifest = {
      ...manifest,
      embedding: { ...manifest.embedding, dims: this.dims },
      generation: this.generation,
      rows: this.rows,
      hnsw: { m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, segments },
      lexical: { tokenizer: tokenizer.name },
    };
    await writeFile(join(this.dir, 'manifest.json'), JSON.stringify(full));
    const previous = await readCurrentName(this.indexDir);
    const tmp = join(this.indexDir, `CURRENT.${process.pid}.tmp`);
    await writeFile(tmp, `${this.generation}\n`);
    await rename(tmp, join(this.indexDir, 'CURRENT'));
    // Keep the previous generation so a reader that just read the old CURRENT can still load it.
    for (const name of await readdir(this.indexDir)) {
      if (name.startsWith('gen-') && name !== this.generation && name !== previous) await rm(join(this.indexDir, name), { recursive: true, force: true });
    }
    return full;
  }

  async abort(): Promise<void> {
    await this.chunks.close().catch(() => {});
    await this.vectors.close().catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Streams chunks.jsonl line by line. */
export async function* chunkLines(dir: string): AsyncIterable<ChunkRecord> {
  const rl = createInterface({ input: createReadStream(join(dir, 'chunks.jsonl'), 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) if (line) yield JSON.parse(line) as ChunkRecord;
}

/**
 * Rows per HNSW segment: each is built in its own worker, so ingest memory stays bounded by one
 * segment, and queries search every segment and merge (hnsw-search.ts): small graphs find what
 * exact search finds where one big graph of near-duplicate chunks does not (see HNSW_M).
 */
export const HNSW_SEGMENT_ROWS = 25_000;

/** Builds `hnsw-<n>.index` segments (labels are global rows), one worker at a time. Returns the segment count. */
async function buildHnsw(dir: string, rows: number, dims: number): Promise<number> {
  let segments = 0;
  for (let start = 0; start < rows; start += HNSW_SEGMENT_ROWS, segments++) {
    const worker = new Worker(new URL('./hnsw-build-worker.mjs', import.meta.url), {
      workerData: {
        vectorsFile: join(dir, 'vectors.f32'), outFile: join(dir, `hnsw-${segments}.index`),
        start, count: Math.min(HNSW_SEGMENT_ROWS, rows - start), dims, m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION,
      },
    });
    await new Promise<void>((resolve, reject) => {
      let done = false;
      worker.once('message', () => (done = true));
      worker.once('error', reject);
      worker.once('exit', (code) => (done && code === 0 ? resolve() : reject(new Error(`HNSW build worker exited with code ${code}`))));
    });
  }
  return segments;
}

async function buildLexical(dir: string, tokenizer: Tokenizer): Promise<void> {
  const builder = new LexicalBuilder(tokenizer.name);
  for await (const c of chunkLines(dir)) builder.count(tokenizer.terms(indexedText(c)));
  for await (const c of chunkLines(dir)) builder.fill(tokenizer.terms(indexedText(c)));
  await builder.save(join(dir, 'lexical'));
}
