import type hnswlib from 'hnswlib-node';

type Hnsw = InstanceType<typeof hnswlib.HierarchicalNSW>;

/**
 * The k nearest rows over all HNSW segments: each segment is searched for k and the results are
 * merged by distance (rows and cosine distances, nearest first). Small segments are what make the
 * index find what exact search finds: on the bench's 100k chunks, one 100k graph plateaus at
 * agreement 0.96 however wide the search; four 25k graphs reach 0.99 (`npm run bench -- --rag --ann-check`).
 */
export function searchSegments(segments: readonly Hnsw[], vector: ArrayLike<number>, k: number): { neighbors: number[]; distances: number[] } {
  const q = Array.from(vector);
  const all: Array<[number, number]> = [];
  for (const index of segments) {
    const count = index.getCurrentCount();
    if (count === 0) continue;
    const r = index.searchKnn(q, Math.min(k, count));
    r.neighbors.forEach((row, i) => all.push([row, r.distances[i]!]));
  }
  all.sort((a, b) => a[1] - b[1]);
  const top = all.slice(0, k);
  return { neighbors: top.map(([row]) => row), distances: top.map(([, d]) => d) };
}
