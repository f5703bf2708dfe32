import { existsSync } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { loadLexical, type LexicalIndex } from './bm25.ts';
import { readManifest, type ChunkRecord, type Manifest } from './index-store.ts';

/** A generation opened for reading: rows read from disk on demand, HNSW and BM25 in memory. */
export interface OpenGeneration {
  dir: string;
  manifest: Manifest;
  hnsw: InstanceType<typeof hnswlib.HierarchicalNSW> | undefined;
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
  let hnsw: OpenGeneration['hnsw'];
  let lexical: LexicalIndex = { tokenizer: manifest.lexical.tokenizer, rows: 0, search: () => [], coverage: () => 0 };
  if (opts.indexes !== false) {
    if (manifest.rows > 0 && existsSync(join(dir, 'hnsw.index'))) {
      hnsw = new hnswlib.HierarchicalNSW('cosine', dims);
      await hnsw.readIndex(join(dir, 'hnsw.index'));
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

  return {
    dir,
    manifest,
    hnsw,
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
