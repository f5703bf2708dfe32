import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LexicalBuilder, loadLexical } from './bm25.ts';
import { reciprocalRankFusion } from './fuse.ts';
import { pdfPageToMarkdown } from './pdf-lines.ts';
import { markdownSections } from './split.ts';
import { bigramTokenizer, normalize } from './tokenize.ts';

describe('lexical terms', () => {
  it('cuts Japanese at script changes: no bigram straddles a word and its particle', () => {
    expect(bigramTokenizer.terms('年間パスポートの値段はいくらですか？')).toEqual(['年間', 'パス', 'スポ', 'ポー', 'ート', '値段', 'はい', 'いく', 'くら', 'らで', 'です', 'すか']);
    expect(bigramTokenizer.terms('駐車場は120台分あります')).toEqual(['120', '駐車', '車場', '台分', 'あり', 'りま', 'ます']);
  });

  it('normalises full-width digits and thousands separators, stems English lightly', () => {
    expect(normalize('３，０００円')).toBe('3000円');
    expect(bigramTokenizer.terms('The titan arum flowered; 3,000 visitors')).toEqual(['titan', 'arum', 'flower', '3000', 'visitor']);
  });
});

describe('BM25 + fusion', () => {
  it('ranks the chunk holding the rare terms first, persists and reloads', async () => {
    const docs = ['年間パスポートは3,000円です。', '年間パスポートの更新は正門で受け付けます。', '駐車場は120台分あります。', 'The greenhouse opens at 9:30 on Tuesdays.'];
    const b = new LexicalBuilder(bigramTokenizer.name);
    for (const d of docs) b.count(bigramTokenizer.terms(d));
    for (const d of docs) b.fill(bigramTokenizer.terms(d));
    const dir = await mkdtemp(join(tmpdir(), 'va-bm25-'));
    try {
      await b.save(dir);
      const idx = await loadLexical(dir);
      const q = bigramTokenizer.terms('年間パスポートは３０００円ですか');
      const hits = idx.search(q, 10);
      expect(hits.map(([row]) => row)).toEqual([0, 1]);
      expect(idx.coverage(q, 0)).toBeGreaterThan(idx.coverage(q, 1));
      expect(idx.coverage(bigramTokenizer.terms('greenhouse Tuesdays'), 3)).toBe(1);
      expect(idx.search(bigramTokenizer.terms('unrelated words'), 10)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reciprocal rank fusion: a document high in both lists wins; weights tilt ties', () => {
    expect(reciprocalRankFusion([[1, 2, 3], [3, 1, 4]], 60).map(([id]) => id)).toEqual([1, 3, 2, 4]);
    expect(reciprocalRankFusion([[7], [8]], 10, [1, 2])[0]?.[0]).toBe(8);
  });
});

describe('document structure', () => {
  it('Markdown sections carry their heading path; fenced code is not a heading', () => {
    const md = '# 案内\n\n前書き。\n\n## 年間パスポート\n\n年間パスポートは3,000円です。\n\n```\n# not a heading\n```\n\n### 更新\n\n正門で受け付けます。';
    expect(markdownSections(md)).toEqual([
      { heading: '案内', text: '前書き。' },
      { heading: '案内 > 年間パスポート', text: '年間パスポートは3,000円です。\n\n```\n# not a heading\n```' },
      { heading: '案内 > 年間パスポート > 更新', text: '正門で受け付けます。' },
    ]);
  });

  it('PDF layout lines: wrapped Japanese joined without a space, English with one, titles become headings', () => {
    const page = ['料金', '年間パスポートは3,000円で、購入日から1年間有効です。更新は正門', 'の窓口で受け付けます。', 'Opening hours', 'The greenhouse is open from 9:30 to 15:00 on Tuesdays and from 10:00', 'to 16:00 on other days.'].join('\n');
    expect(pdfPageToMarkdown(page)).toBe(
      '## 料金\n\n年間パスポートは3,000円で、購入日から1年間有効です。更新は正門の窓口で受け付けます。\n\n## Opening hours\n\n' +
        'The greenhouse is open from 9:30 to 15:00 on Tuesdays and from 10:00 to 16:00 on other days.',
    );
  });
});
