import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FACTS, type Lang, type QuestionKind } from './facts.ts';

/**
 * The benchmark's document folder, generated at run time (deterministic for a seed): a handbook,
 * staff notice and FAQ per language holding the known facts, and site text of the same domain
 * (near-duplicate sections, the same names and numbers in other contexts) in many files.
 */
export interface Question {
  q: string;
  lang: Lang;
  kind: QuestionKind;
  /** The fact sentence: the answering chunk is the one that contains it. */
  answer: string;
}

export interface Corpus {
  dir: string;
  files: number;
  bytes: number;
  questions: Question[];
}

/** mulberry32: small deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EN = {
  areas: ['rose garden', 'fern house', 'palm house', 'herb garden', 'bamboo grove', 'alpine house', 'pond', 'orchard', 'cactus house', 'herbarium', 'great lawn', 'woodland walk', 'glasshouse', 'greenhouse'],
  people: ['Dr. Paul Weston', 'Ms. Lucy Grant', 'Mr. Tom Hughes', 'Dr. Nadia Rahman', 'Ms. Emma Clarke', 'Mr. Kenji Watanabe', 'Dr. Amelia Okafor', 'Mr. Oliver Bennett'],
  plants: ['tulip', 'camellia', 'peony', 'maple', 'lily', 'iris', 'orchid', 'fern', 'rose', 'magnolia', 'azalea', 'lotus'],
  days: ['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'],
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  filler: [
    'Please stay on the marked paths and do not pick the flowers.',
    'Seasonal displays change every month, so there is always something new to see.',
    'Volunteers are on hand to answer questions about the plants.',
    'Benches are placed along the route for visitors who need a rest.',
    'Photography for personal use is welcome throughout the garden.',
    'Labels next to each bed give the common and botanical names.',
    'The path is paved and suitable for wheelchairs and pushchairs.',
    'Information about upcoming events is posted at the main entrance.',
  ],
};
const JA = {
  areas: ['バラ園', 'シダ園', 'ヤシ温室', 'ハーブ園', '竹林', '高山植物室', '池', '果樹園', 'サボテン温室', '標本室', '芝生広場', '森の小道', '温室'],
  people: ['高橋健さん', '佐藤美咲さん', '田中一郎さん', '鈴木花子さん', '山本直樹さん', '中村由美さん', '小林誠さん'],
  plants: ['チューリップ', 'ツバキ', 'ボタン', 'カエデ', 'ユリ', 'アヤメ', 'ラン', 'シダ', 'バラ', 'モクレン', 'ツツジ', 'ハス'],
  days: ['月曜日', '火曜日', '水曜日', '木曜日', '金曜日', '土曜日', '日曜日'],
  filler: [
    '園内では決められた道を歩き、花を摘まないでください。',
    '季節の展示は毎月入れ替わります。',
    'ボランティアが植物についての質問にお答えします。',
    '順路の途中にはベンチがあります。',
    '個人で楽しむための写真撮影は自由です。',
    '花壇の名札には和名と学名が書かれています。',
    '催しの情報は正門の掲示板でお知らせします。',
  ],
};

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}
const num = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const hour = (r: () => number, lo: number, hi: number): string => `${num(r, lo, hi)}:${pick(r, ['00', '30'])}`;

export function enSection(r: () => number, i: number): string {
  const a = pick(r, EN.areas);
  const p = pick(r, EN.people);
  const pl = pick(r, EN.plants);
  const templates = [
    () => [`${a[0]!.toUpperCase()}${a.slice(1)} news ${i}`, `Volunteers planted ${num(r, 20, 900)} ${pl} bulbs in the ${a} on ${num(r, 1, 28)} ${pick(r, EN.months)} ${num(r, 2019, 2025)}. The work was led by ${p}.`],
    () => [`Opening hours: ${a}`, `On ${pick(r, EN.days)} the ${a} is open from ${hour(r, 8, 11)} to ${hour(r, 14, 18)}. Last entry is 30 minutes before closing.`],
    () => [`Staff profile ${i}`, `${p} works in the ${a} and has been with the garden since ${num(r, 1985, 2022)}. ${p} looks after ${num(r, 30, 3000)} ${pl} plants.`],
    () => [`Collection ${i}`, `The ${a} holds ${num(r, 100, 60000).toLocaleString('en-US')} ${pl} plants from ${num(r, 3, 90)} countries. The collection was started in ${num(r, 1950, 2020)}.`],
    () => [`Event ${i}`, `The ${pl} festival takes place on ${num(r, 1, 28)} ${pick(r, EN.months)} ${num(r, 2023, 2026)} in the ${a}. Tickets cost ${num(r, 2, 15) * 100} yen.`],
    () => [`Notice ${i}`, `The ${a} is closed every ${pick(r, EN.days).slice(0, -1)} in ${pick(r, EN.months)} for maintenance. ${p} is in charge of the work.`],
  ];
  const [head, body] = pick(r, templates)();
  const fill = Array.from({ length: num(r, 2, 4) }, () => pick(r, EN.filler));
  return `## ${head}\n\n${body} ${fill.join(' ')}`;
}

export function jaSection(r: () => number, i: number): string {
  const a = pick(r, JA.areas);
  const p = pick(r, JA.people);
  const pl = pick(r, JA.plants);
  const templates = [
    () => [`${a}のお知らせ${i}`, `${num(r, 2019, 2025)}年${num(r, 1, 12)}月${num(r, 1, 28)}日、ボランティアが${a}に${pl}の球根を${num(r, 20, 900)}個植えました。作業の指揮は${p}がとりました。`],
    () => [`${a}の公開時間`, `${pick(r, JA.days)}の${a}は午前${num(r, 8, 11)}時から午後${num(r, 2, 6)}時まで公開しています。`],
    () => [`職員紹介${i}`, `${p}は${num(r, 1985, 2022)}年から${a}で働いています。${pl}を${num(r, 30, 3000)}株育てています。`],
    () => [`収蔵品${i}`, `${a}には${num(r, 3, 90)}か国から集めた${pl}が約${num(r, 1, 60)}千点あります。`],
    () => [`催し${i}`, `${pl}まつりは${num(r, 2023, 2026)}年${num(r, 1, 12)}月${num(r, 1, 28)}日に${a}で開催されます。参加費は${num(r, 2, 15) * 100}円です。`],
    () => [`休みのお知らせ${i}`, `${a}は${num(r, 1, 12)}月の毎週${pick(r, JA.days)}に手入れのため閉まります。担当は${p}です。`],
  ];
  const [head, body] = pick(r, templates)();
  const fill = Array.from({ length: num(r, 1, 3) }, () => pick(r, JA.filler));
  return `## ${head}\n\n${body}${fill.join('')}`;
}

const factSection = (heading: string, sentence: string, filler: string, lang: Lang): string =>
  `## ${heading}\n\n${lang === 'ja' ? `${sentence}${filler}` : `${sentence} ${filler}`}`;

/** Writes the folder: ~`sections` site-text sections (half per language) plus the fact documents. */
export function writeCorpus(dir: string, opts: { sections?: number; seed?: number } = {}): Corpus {
  const r = prng(opts.seed ?? 7);
  const sections = opts.sections ?? 4000;
  mkdirSync(join(dir, 'site'), { recursive: true });
  // A generated section never repeats a fact's frame exactly (that would make its question ambiguous).
  const frames = FACTS.map((f) => f.answer.slice(0, Math.min(28, f.answer.length - 4)));
  const site: string[] = [];
  for (let i = 0; i < sections; i++) {
    const s = i % 2 === 0 ? enSection(r, i) : jaSection(r, i);
    if (!frames.some((a) => s.includes(a))) site.push(s);
  }
  // Near-duplicates of every fact, several times each, in other sections of the site text.
  for (const f of FACTS) {
    for (const t of f.twins) {
      for (let k = 0; k < 3; k++) {
        const fill = f.lang === 'ja' ? pick(r, JA.filler) : pick(r, EN.filler);
        site.splice(Math.floor(r() * site.length), 0, factSection(f.heading, t, fill, f.lang));
      }
    }
  }
  let bytes = 0;
  const write = (rel: string, text: string): void => {
    writeFileSync(join(dir, rel), text);
    bytes += Buffer.byteLength(text);
  };
  const perFile = 25;
  let files = 0;
  for (let i = 0; i < site.length; i += perFile, files++) {
    write(`site/page-${String(files).padStart(4, '0')}.md`, `# Midori Botanical Garden / みどり植物園 ${files}\n\n${site.slice(i, i + perFile).join('\n\n')}\n`);
  }
  const docs: Record<string, string[]> = { 'handbook.md': [], 'staff-notice.md': [], 'faq.md': [], 'handbook-ja.md': [], 'faq-ja.md': [] };
  FACTS.forEach((f, i) => {
    const name = f.lang === 'ja' ? (i % 2 ? 'handbook-ja.md' : 'faq-ja.md') : ['handbook.md', 'staff-notice.md', 'faq.md'][i % 3]!;
    docs[name]!.push(factSection(f.heading, f.answer, f.lang === 'ja' ? pick(r, JA.filler) : pick(r, EN.filler), f.lang));
  });
  for (const [name, body] of Object.entries(docs)) write(name, `# ${name.replace(/\.md$/, '')}\n\n${body.join('\n\n')}\n`);
  files += Object.keys(docs).length;

  const questions: Question[] = FACTS.flatMap((f) => [
    ...f.questions.map(([q, kind]): Question => ({ q, lang: f.lang, kind, answer: f.answer })),
    ...(f.cross ?? []).map(([q, kind]): Question => ({ q, lang: f.lang === 'ja' ? 'en' : 'ja', kind, answer: f.answer })),
  ]);
  return { dir, files, bytes, questions };
}
