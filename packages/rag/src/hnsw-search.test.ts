import hnswlib from 'hnswlib-node';
import { featureVector } from '@va/standins';
import { describe, expect, it } from 'vitest';
import { searchSegments } from './hnsw-search.ts';

const DIMS = 64;
const TEXTS = [
  '年間パスポートは3,000円です。', '駐車場は120台分あります。', '温室の担当者は佐藤美咲さんです。', '休園日は毎週月曜日です。',
  'The greenhouse opens at nine on Tuesdays.', 'The tortoise is called Hector.', 'The seed vault holds 4,200 samples.', '開園時間は午前9時からです。',
  '入園料は大人800円です。', 'Parking has 120 spaces.',
];

function segmentsOf(size: number): Array<InstanceType<typeof hnswlib.HierarchicalNSW>> {
  const out: Array<InstanceType<typeof hnswlib.HierarchicalNSW>> = [];
  for (let start = 0; start < TEXTS.length; start += size) {
    const rows = TEXTS.slice(start, start + size);
    const index = new hnswlib.HierarchicalNSW('cosine', DIMS);
    index.initIndex({ maxElements: rows.length, m: 8, efConstruction: 50, randomSeed: 1 });
    rows.forEach((t, i) => index.addPoint(Array.from(featureVector(t, DIMS)), start + i));
    index.setEf(50);
    out.push(index);
  }
  return out;
}

describe('searchSegments: HNSW segments searched and merged by distance', () => {
  it('returns the same global rows, nearest first, whether the rows are in one graph or in several', () => {
    const q = featureVector('年間パスポートはいくらですか', DIMS);
    const one = searchSegments(segmentsOf(TEXTS.length), q, 4);
    const three = searchSegments(segmentsOf(4), q, 4);
    expect(three.neighbors).toEqual(one.neighbors);
    expect(three.neighbors[0]).toBe(0);
    expect([...three.distances].sort((a, b) => a - b)).toEqual(three.distances);
  });

  it('asks each segment for no more rows than it holds and skips an empty segment', () => {
    const empty = new hnswlib.HierarchicalNSW('cosine', DIMS);
    empty.initIndex({ maxElements: 1, m: 8, efConstruction: 50, randomSeed: 1 });
    const r = searchSegments([...segmentsOf(3), empty], featureVector('tortoise name', DIMS), 50);
    expect(r.neighbors).toHaveLength(TEXTS.length);
    expect(new Set(r.neighbors).size).toBe(TEXTS.length);
    expect(r.neighbors[0]).toBe(5);
  });
});
