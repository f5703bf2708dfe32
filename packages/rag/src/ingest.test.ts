import { mkdtemp, rm, symlink, unlink, writeFile, mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddingStandin, type EmbeddingStandin } from '@va/standins';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '@va/providers';
import { ingestDirectory, type IngestSummary } from './ingest.ts';
import { readGeneration } from './index-store.ts';
import { pdfText } from './load-file.ts';
import { loadRetriever } from './retriever.ts';
import { makePdf } from './testing/test-pdf.ts';

const JA = [
  '# 社内ガイド',
  '',
  '会議室の予約は三日前までに総務部へ申請してください。予約の取り消しは前日の正午までに連絡が必要です。',
  '',
  '社員食堂は平日の十一時半から十四時まで営業しています。土曜日と日曜日は休業です。',
].join('\n');
const EN = [
  '# Library',
  '',
  'The city library opens at 9 am on weekdays and closes at 8 pm. On Sundays it is closed.',
  '',
  'Members may borrow up to twelve books for three weeks.',
].join('\n');
const PDF_LINES = ['Operations manual.', 'The warehouse door code is 4471.', 'Deliveries arrive on Tuesdays at the loading dock.'];

describe('ingest + retriever against the embedding stand-in', () => {
  let standin: EmbeddingStandin;
  let base: string;
  let src: string;
  let dataDir: string;
  const embedded = (): number => standin.stats()['embedded'] ?? 0;
  const run = async (): Promise<IngestSummary> =>
    ingestDirectory({ dir: src, dataDir, embedder: createEmbedder({ type: 'openai-embeddings', base_url: standin.url }), embeddingModel: 'standin' });

  beforeAll(async () => {
    standin = await startEmbeddingStandin();
    base = await mkdtemp(join(tmpdir(), 'va-ingest-'));
    src = join(base, 'docs');
    dataDir = join(base, 'data');
    await mkdir(join(src, 'sub'), { recursive: true });
    await writeFile(join(src, 'guide-ja.md'), JA);
    await writeFile(join(src, 'library.md'), EN);
    await writeFile(join(src, 'sub', 'manual.pdf'), makePdf(PDF_LINES));
    await writeFile(join(src, 'broken.pdf'), Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage\n'));
    await writeFile(join(src, 'notes.txt'), 'not a supported type');
    await writeFile(join(base, 'secret.md'), 'The outside secret is 9999.');
    await symlink(join(base, 'secret.md'), join(src, 'leak.md'));
    await symlink(join(src, 'library.md'), join(src, 'sub', 'library-link.md')); // same file: indexed once
    await symlink(join(src, 'sub'), join(src, 'sub-link')); // folder inside: followed, files not duplicated
  });
  afterAll(async () => {
    await standin?.close();
    await rm(base, { recursive: true, force: true });
  });

  it('the hand-made PDF is a real PDF that pdf-parse reads', async () => {
    const text = await pdfText(await readFile(join(src, 'sub', 'manual.pdf')));
    for (const line of PDF_LINES) expect(text).toContain(line);
  });

  it('indexes md and pdf, reports the corrupt PDF and refuses the symlink leading outside', async () => {
    const s = await run();
    expect(s.added.sort()).toEqual(['guide-ja.md', 'library.md', 'sub/manual.pdf']);
    expect(s.failed.map((f) => f.source)).toEqual(['broken.pdf']);
    expect(s.refused).toEqual([{ source: 'leak.md', reason: 'symlink points outside the ingested directory' }]);
    expect(s.chunks).toBe(3); // each test file fits in one chunk
    expect(s.embedded).toBe(s.chunks);

    const gen = await readGeneration(join(dataDir, 'index'));
    const pdf = gen?.manifest.files['sub/manual.pdf'];
    expect(pdf?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(pdf?.chunkIds).toEqual([`${pdf?.documentId}:0`]);

    const r = await loadRetriever({ dataDir, embedder: createEmbedder({ type: 'openai-embeddings', base_url: standin.url }) });
    expect(r.loaded).toBe(true);
    const hits = await r.retrieve('What is the warehouse door code?', { k: 3, minScore: 0 });
    expect(hits[0]?.source).toBe('sub/manual.pdf');
    expect(hits[0]?.text).toContain('4471');
    expect(hits[0]?.chunkId).toBe(`${hits[0]?.documentId}:0`);
    for (const h of hits) {
      expect(h.score).toBeGreaterThan(0);
      expect(h.score).toBeLessThanOrEqual(1);
    }
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));

    const ja = await r.retrieve('会議室の予約はいつまでに申請しますか？', { k: 2, minScore: 0 });
    expect(ja[0]?.source).toBe('guide-ja.md');
    expect(ja[0]?.text).toContain('三日前');
    expect(await r.retrieve('the outside secret', { k: 5, minScore: 0 })).not.toContainEqual(
      expect.objectContaining({ text: expect.stringContaining('9999') }),
    );
    // a high threshold filters everything out
    expect(await r.retrieve('What is the warehouse door code?', { k: 3, minScore: 0.9999 })).toEqual([]);
  });

  it('re-running skips unchanged files without embedding anything', async () => {
    const before = embedded();
    const prev = (await readGeneration(join(dataDir, 'index')))?.manifest.generation;
    const s = await run();
    expect(s.unchanged.length).toBe(3);
    expect(s.added.length + s.updated.length + s.removed.length).toBe(0);
    expect(s.embedded).toBe(0);
    expect(embedded()).toBe(before);
    expect(s.generation).toBe(prev);
  });

  it('a modified file is re-embedded alone, and the retriever picks it up on reload', async () => {
    const r = await loadRetriever({ dataDir, embedder: createEmbedder({ type: 'openai-embeddings', base_url: standin.url }) });
    await writeFile(join(src, 'library.md'), `${EN}\n\nThe library cafe serves matcha pancakes every Friday.`);
    const before = embedded();
    const s = await run();
    expect(s.updated).toEqual(['library.md']);
    expect(s.unchanged.sort()).toEqual(['guide-ja.md', 'sub/manual.pdf']);
    const gen = await readGeneration(join(dataDir, 'index'));
    expect(s.embedded).toBe(gen?.manifest.files['library.md']?.chunkIds.length);
    expect(embedded() - before).toBe(s.embedded);
    expect(await r.reload()).toBe(true);
    const hits = await r.retrieve('matcha pancakes at the cafe', { k: 1, minScore: 0 });
    expect(hits[0]?.text).toContain('matcha pancakes');
  });

  it('a file that became unreadable is reported and keeps its previous chunks', async () => {
    const good = await readFile(join(src, 'sub', 'manual.pdf'));
    await writeFile(join(src, 'sub', 'manual.pdf'), Buffer.from('%PDF-1.4 truncated'));
    try {
      const s = await run();
      expect(s.failed.map((f) => f.source).sort()).toEqual(['broken.pdf', 'sub/manual.pdf']);
      expect(s.failed.find((f) => f.source === 'sub/manual.pdf')?.reason).toMatch(/previous version kept/);
      const r = await loadRetriever({ dataDir, embedder: createEmbedder({ type: 'openai-embeddings', base_url: standin.url }) });
      const hits = await r.retrieve('What is the warehouse door code?', { k: 1, minScore: 0 });
      expect(hits[0]?.text).toContain('4471');
    } finally {
      await writeFile(join(src, 'sub', 'manual.pdf'), good);
    }
  });

  it('deleting a file removes its chunks from search results', async () => {
    await unlink(join(src, 'sub', 'manual.pdf'));
    const s = await run();
    expect(s.removed).toEqual(['sub/manual.pdf']);
    expect(s.embedded).toBe(0);
    const r = await loadRetriever({ dataDir, embedder: createEmbedder({ type: 'openai-embeddings', base_url: standin.url }) });
    const hits = await r.retrieve('What is the warehouse door code?', { k: 10, minScore: 0 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.some((h) => h.source === 'sub/manual.pdf' || h.text.includes('4471'))).toBe(false);
  });

  it('an index of the previous format is not loaded (the app still starts) and the next ingest replaces it', async () => {
    const old = join(base, 'old-data');
    await mkdir(join(old, 'index', 'gen-old'), { recursive: true });
    await writeFile(join(old, 'index', 'CURRENT'), 'gen-old\n');
    await writeFile(join(old, 'index', 'gen-old', 'manifest.json'), JSON.stringify({ format: 1, files: {} }));
    const embedder = createEmbedder({ type: 'openai-embeddings', base_url: standin.url });
    expect((await loadRetriever({ dataDir: old, embedder })).loaded).toBe(false);
    const s = await ingestDirectory({ dir: src, dataDir: old, embedder });
    expect(s.added.length).toBeGreaterThan(0);
    expect((await loadRetriever({ dataDir: old, embedder })).loaded).toBe(true);
  });

  it('a retriever without an index is not loaded and returns nothing', async () => {
    const empty = join(base, 'empty-data');
    const r = await loadRetriever({ dataDir: empty, embedder: createEmbedder({ type: 'openai-embeddings', base_url: standin.url }) });
    expect(r.loaded).toBe(false);
    expect(await r.retrieve('anything', { k: 3, minScore: 0 })).toEqual([]);
    expect(await r.reload()).toBe(false);
  });
});
