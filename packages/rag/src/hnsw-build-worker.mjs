// Builds one HNSW segment in a worker thread, so its native memory is released when the worker
// exits (an hnswlib index is freed only when its object is garbage-collected otherwise). Plain
// JavaScript: it runs under node, tsx and vitest alike.
import { open } from 'node:fs/promises';
import { workerData, parentPort } from 'node:worker_threads';
import hnswlib from 'hnswlib-node';

const { vectorsFile, outFile, start, count, dims, m, efConstruction } = workerData;
const index = new hnswlib.HierarchicalNSW('cosine', dims);
index.initIndex({ maxElements: count, m, efConstruction, randomSeed: 100 });
const fh = await open(vectorsFile, 'r');
try {
  const block = 1024;
  const buf = Buffer.alloc(block * dims * 4);
  for (let row = 0; row < count; row += block) {
    const n = Math.min(block, count - row);
    await fh.read(buf, 0, n * dims * 4, (start + row) * dims * 4);
    const f = new Float32Array(buf.buffer, buf.byteOffset, n * dims);
    for (let i = 0; i < n; i++) index.addPoint(Array.from(f.subarray(i * dims, (i + 1) * dims)), start + row + i);
  }
} finally {
  await fh.close();
}
await index.writeIndex(outFile);
parentPort?.postMessage('done');
