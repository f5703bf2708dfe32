import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { loadLexical, type LexicalIndex } from './bm25.ts';
import { searchSegments } from './hnsw-search.ts';
import { readManifest, type ChunkRecord, type Manifest } from './index-store.ts';

/** A generation opened for reading: rows read from disk on demand, HNSW and BM25 in memory. */
export interface OpenGeneration {
  dir: string;
  manifest: Manifest;
  /** HNSW segments (labels are rows); search each and merge by distance. */
  hnsw: Array<InstanceType<typeof hnswlib.HierarchicalNSW>>;
  /** The k nearest rows over all segments: rows and cosine distances, nearest first. */
  searchVector(vector: Float32Array, k: number): { neighbors: number[]; distances: number[] };
  lexical: LexicalIndex;
  readRows(row: number, count: number): Promise<{ records: ChunkRecord[]; vectors: Float32Array[] }>;
  readRecord(row: number): Promise<ChunkRecord>;
  readVector(row: number): Promise<Float32Array>;
  close(): Promise<void>;
}

export async function openGeneration(dir: string, opts: { indexes?: boolean } = {}): Promise<OpenGeneration> {
  const manifest = await readManifest(dir);
  const offsets = new Float64Array((await readFile(join(dir, 'chunk-offsets.f64'))).buffer.slice(0));
  const chunks: FileHandle = await open(join(dir, 'chunks.jsonl'), 'r');
  const vectors: FileHandle = await open(join(dir, 'vectors.f32'), 'r');
  const dims = manifest.embedding.dims ?? 0;
  const hnsw: OpenGeneration['hnsw'] = [];
  let lexical: LexicalIndex = { tokenizer: manifest.lexical.tokenizer, rows: 0, search: () => [], coverage: () => 0 };
  if (opts.indexes !== false) {
    for (let s = 0; s < manifest.hnsw.segments; s++) {
      const index = new hnswlib.HierarchicalNSW('cosine', dims);
      await index.readIndex(join(dir, `hnsw-${s}.index`));
      hnsw.push(index);
    }
    lexical = await loadLexical(join(dir, 'lexical'));
  }

  async function readRows(row: number, count: number): Promise<{ records: ChunkRecord[]; vectors: Float32Array[] }> {
    const start = offsets[row]!;
    const end = offsets[row + count]!;
    const text = Buffer.alloc(end - start);
    await chunks.read(text, 0, text.length, start);
    const records = text.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ChunkRecord);
    const vbuf = Buffer.alloc(count * dims * 4);
    await vectors.read(vbuf, 0, vbuf.length, row * dims * 4);
    const all = new Float32Array(vbuf.buffer, vbuf.byteOffset, count * dims);
    return { records, vectors: records.map((_, i) => all.slice(i * dims, (i + 1) * dims)) };
  }

  const searchVector = (vector: Float32Array, k: number) => searchSegments(hnsw, vector, k);

  return {
    dir,
    manifest,
    hnsw,
    searchVector,
    lexical,
    readRows,
    readRecord: async (row) => (await readRows(row, 1)).records[0]!,
    readVector: async (row) => (await readRows(row, 1)).vectors[0]!,
    close: async () => {
      await chunks.close();
      await vectors.close();
    },
  };
}
