import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import hnswlib from 'hnswlib-node';
import { LexicalBuilder } from './bm25.ts';
import { indexedText, readCurrentName, type ChunkRecord, type FileEntry, type Manifest, type StoredGeneration } from './index-store.ts';
import type { Tokenizer } from './tokenize.ts';

/** HNSW build parameters (checked by `npm run bench -- --rag --ann-check`: agreement with exact search). */
export const HNSW_M = 16;
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
    if (this.rows > 0 && this.dims) await buildHnsw(this.dir, this.rows, this.dims);
    await buildLexical(this.dir, tokenizer);
    const full: Manifest = {
      ...manifest,
      embedding: { ...manifest.embedding, dims: this.dims },
      generation: this.generation,
      rows: this.rows,
      hnsw: { m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION },
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

async function buildHnsw(dir: string, rows: number, dims: number): Promise<void> {
  const index = new hnswlib.HierarchicalNSW('cosine', dims);
  index.initIndex({ maxElements: rows, m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, randomSeed: 100 });
  const fh = await open(join(dir, 'vectors.f32'), 'r');
  try {
    const block = 1024;
    const buf = Buffer.alloc(block * dims * 4);
    for (let row = 0; row < rows; row += block) {
      const n = Math.min(block, rows - row);
      await fh.read(buf, 0, n * dims * 4, row * dims * 4);
      const f = new Float32Array(buf.buffer, buf.byteOffset, n * dims);
      for (let i = 0; i < n; i++) index.addPoint(Array.from(f.subarray(i * dims, (i + 1) * dims)), row + i);
    }
  } finally {
    await fh.close();
  }
  await index.writeIndex(join(dir, 'hnsw.index'));
}

async function buildLexical(dir: string, tokenizer: Tokenizer): Promise<void> {
  const builder = new LexicalBuilder(tokenizer.name);
  for await (const c of chunkLines(dir)) builder.count(tokenizer.terms(indexedText(c)));
  for await (const c of chunkLines(dir)) builder.fill(tokenizer.terms(indexedText(c)));
  await builder.save(join(dir, 'lexical'));
}
