import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbedder } from '@va/providers';
import { extractiveAnswer, startEmbeddingStandin, type EmbeddingStandin } from '@va/standins';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDirectory } from './ingest.ts';
import { loadRetriever, type ReloadableRetriever, type RetrievedPassage } from './retriever.ts';
import { makeCjkPdf } from './testing/test-pdf.ts';

/** A small Japanese handbook, as Markdown and as a PDF laid out in lines (one sentence wraps). */
const HANDBOOK_MD = `# みどり植物園 利用案内

## 年間パスポート

年間パスポートは3,000円で、購入日から1年間有効です。更新は正門の窓口で受け付けます。

## 駐車場

駐車場は全部で120台分あり、そのうち4台は車いす用です。

## 開園時間

開園時間は午前9時から午後5時までで、入園は午後4時30分までです。
`;
const PDF_LINES = [
  '温室のご案内',
  '温室の担当者',
  '温室の担当者は植物学者の佐藤美咲さんです。温室では熱帯の植物を約八百種類育',
  'てています。',
  '休園日',
  '休園日は毎週月曜日と年末年始です。',
];

describe('Japanese documents: headings as metadata, PDF lines joined, answers without the heading', () => {
  let standin: EmbeddingStandin;
  let base: string;
  let retriever: ReloadableRetriever;
  const ask = async (q: string): Promise<{ passages: RetrievedPassage[]; answer: string }> => {
    const passages = await retriever.retrieve(q, { k: 4, minScore: 0.25 });
    const context = passages.map((p, i) => `[${i + 1}] source: ${p.source} (chunk ${p.chunkId})\n<<<\n${p.text}\n>>>`).join('\n\n');
    return { passages, answer: extractiveAnswer([{ role: 'system', content: context }, { role: 'user', content: q }]) };
  };

  beforeAll(async () => {
    standin = await startEmbeddingStandin();
    base = await mkdtemp(join(tmpdir(), 'va-rag-ja-'));
    await mkdir(join(base, 'docs'));
    await writeFile(join(base, 'docs', 'handbook.md'), HANDBOOK_MD);
    await writeFile(join(base, 'docs', 'greenhouse.pdf'), makeCjkPdf(PDF_LINES));
    const embedder = createEmbedder({ type: 'openai-embeddings', base_url: standin.url });
    const s = await ingestDirectory({ dir: join(base, 'docs'), dataDir: join(base, 'data'), embedder });
    expect(s.failed).toEqual([]);
    retriever = await loadRetriever({ dataDir: join(base, 'data'), embedder });
  });
  afterAll(async () => {
    await standin?.close();
    await rm(base, { recursive: true, force: true });
  });

  it('a Markdown section is retrieved with its heading as metadata, not glued into its text', async () => {
    const { passages, answer } = await ask('年間パスポートの値段はいくらですか？');
    expect(passages[0]?.source).toBe('handbook.md');
    expect(passages[0]?.heading).toBe('みどり植物園 利用案内 > 年間パスポート');
    expect(passages[0]?.text.startsWith('年間パスポートは3,000円で')).toBe(true);
    expect(answer).toBe('年間パスポートは3,000円で、購入日から1年間有効です。');
  });

  it('answers a number question from the right section', async () => {
    const { passages, answer } = await ask('駐車場は何台とめられますか？');
    expect(passages[0]?.heading).toMatch(/駐車場$/);
    expect(answer).toBe('駐車場は全部で120台分あり、そのうち4台は車いす用です。');
  });

  it('a PDF sentence wrapped over two lines comes back whole, its title line as the heading', async () => {
    const { passages, answer } = await ask('温室の担当者は誰ですか？');
    expect(passages[0]?.source).toBe('greenhouse.pdf');
    expect(passages[0]?.heading).toBe('温室の担当者'); // a PDF has no heading levels: each title line starts a section
    expect(passages[0]?.text).toBe('温室の担当者は植物学者の佐藤美咲さんです。温室では熱帯の植物を約八百種類育てています。');
    expect(answer).toBe('温室の担当者は植物学者の佐藤美咲さんです。');
    const closed = await ask('休園日はいつですか？');
    expect(closed.answer).toBe('休園日は毎週月曜日と年末年始です。');
  });

  it('an embedding server that cannot be reached fails the lookup with its error (the lexical search ran meanwhile)', async () => {
    const unreachable = createEmbedder({ type: 'openai-embeddings', base_url: 'http://127.0.0.1:9' });
    const r = await loadRetriever({ dataDir: join(base, 'data'), embedder: unreachable });
    await expect(r.retrieve('駐車場は何台とめられますか？', { k: 4, minScore: 0.25 })).rejects.toThrow();
    // The working retriever over the same index still answers.
    expect((await ask('駐車場は何台とめられますか？')).passages[0]?.heading).toMatch(/駐車場$/);
  });
});
