import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, createSplitter, splitText } from './split.ts';

const JA_SENTENCES = Array.from({ length: 40 }, (_, i) =>
  i % 5 === 4 ? `第${i}項目では、倉庫の在庫管理について説明しますか？` : `これは${i}番目の文で、会議室の予約方法と注意点を詳しく述べています。`,
);

/** Splits text into sentences ending in a Japanese or English terminator. */
const sentences = (t: string): string[] => t.match(/[^。！？]+[。！？]|[^.!?]+[.!?](?=\s|$)/g)?.map((s) => s.trim()) ?? [];

describe('splitText', () => {
  it('never cuts a Japanese sentence when a sentence boundary is available', async () => {
    const text = JA_SENTENCES.join('');
    const chunks = await splitText(text);
    expect(chunks.length).toBeGreaterThan(2);
    const all = new Set(JA_SENTENCES);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(CHUNK_SIZE);
      expect(c).toMatch(/[。？]$/); // ends on a sentence end
      expect(c.startsWith('。')).toBe(false);
      // the chunk is a concatenation of whole original sentences
      expect(sentences(c).join('')).toBe(c);
      for (const s of sentences(c)) expect(all.has(s)).toBe(true);
    }
    // every sentence survives somewhere, and neighbouring chunks overlap
    for (const s of JA_SENTENCES) expect(chunks.some((c) => c.includes(s))).toBe(true);
    const last = sentences(chunks[0] ?? '').at(-1) ?? 'x';
    expect(chunks[1]?.includes(last)).toBe(true);
  });

  it('splits English at sentence ends and keeps paragraphs when they fit', async () => {
    const para = (n: number): string =>
      Array.from({ length: 6 }, (_, i) => `Paragraph ${n} sentence ${i} explains the opening hours of the library.`).join(' ');
    const text = [para(1), para(2), para(3)].join('\n\n');
    const chunks = await splitText(text);
    for (const c of chunks) {
      expect(c).toMatch(/\.$/);
      expect(c).toMatch(/^Paragraph \d sentence \d/);
    }
    expect(chunks.join(' ')).toContain(para(2).slice(0, 60));
  });

  it('falls back to smaller separators for a run-on sentence and normalises CRLF', async () => {
    const run = 'あ'.repeat(1200);
    const chunks = await splitText(`見出し\r\n${run}`, createSplitter(500, 80));
    expect(chunks.every((c) => c.length <= 500)).toBe(true);
    expect(chunks.join('').includes('\r')).toBe(false);
    expect(await splitText('\uFEFF   \n\n ')).toEqual([]);
  });
});
