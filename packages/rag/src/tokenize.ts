import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Lexical terms for BM25. Latin text: lower-case NFKC words minus stop words, light plural
 * stemming; numbers without thousands separators ("3,000" = "3000"). Japanese: character bigrams
 * of every CJK run (and the single character of a one-character run), or kuromoji morphemes.
 * Measured on the retrieval benchmark (npm run bench -- --rag): see packages/rag/README.md.
 */
export interface Tokenizer {
  readonly name: string;
  terms(text: string): string[];
}

const CJK_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ヶ]+/gu;
const HIRAGANA_ONLY = /^[\u3040-\u309f]+$/u;
const STOP = new Set(
  `a an the and or but if of to in on at by for with from as is are was were be been am do does did have has had
  i me my we our you your he him his she her it its they them their this that these those what which who whom whose
  when where why how not no so than too very can could will would should may might must just about into there here
  all any each more most other some such only same also up out please tell`.split(/\s+/),
);

/** NFKC, lower case, digits without separators ("3,000" -> "3000", "９時" -> "9時"). */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/(\d),(?=\d{3}\b)/g, '$1');
}

/** Light English suffix stripping: "flowered"/"flowers"/"flowering" -> "flower". */
export function stem(w: string): string {
  if (/\d/.test(w)) return w;
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ied')) return `${w.slice(0, -3)}y`;
  if (w.length > 4 && w.endsWith('ed') && !w.endsWith('eed')) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !/\d/.test(w)) return w.slice(0, -1);
  return w;
}

/** Latin words and numbers (the non-CJK part of a text). */
export function latinTerms(norm: string): string[] {
  const out: string[] = [];
  for (const m of norm.replace(CJK_RUN, ' ').matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu)) {
    const w = m[0].replace(/['’]s$/, '');
    if (!STOP.has(w)) out.push(stem(w));
  }
  return out;
}

export function bigrams(run: string): string[] {
  if (run.length === 1) return [run];
  const out: string[] = [];
  for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  return out;
}

/** A CJK run cut where the script changes (kanji | katakana | hiragana): "年間パスポートの値段は" -> 年間, パスポート, の, 値段, は. */
const SCRIPT_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]+|[\u30a0-\u30ff\uff66-\uff9f]+|[\u3040-\u309f]+/gu;

/**
 * Character bigrams within each script run, so no bigram straddles a word and its particle ("トの",
 * "段は"); a hiragana run counts only from three characters on (particles and endings carry no content).
 */
export const bigramTokenizer: Tokenizer = {
  name: 'bigram-v2',
  terms(text) {
    const norm = normalize(text);
    const out = latinTerms(norm);
    for (const run of norm.match(CJK_RUN) ?? []) {
      for (const seg of run.match(SCRIPT_RUN) ?? []) {
        if (HIRAGANA_ONLY.test(seg) && seg.length < 3) continue;
        out.push(...bigrams(seg));
      }
    }
    return out;
  },
};

interface KuromojiToken {
  surface_form: string;
  pos: string;
  basic_form: string;
}

/** kuromoji (IPADIC, shipped with the package): content morphemes (nouns, verbs, adjectives) by base form. */
export async function createKuromojiTokenizer(): Promise<Tokenizer> {
  const require = createRequire(import.meta.url);
  const kuromoji = require('kuromoji') as { builder(o: { dicPath: string }): { build(cb: (err: Error | null, t: { tokenize(s: string): KuromojiToken[] }) => void): void } };
  const dicPath = join(dirname(require.resolve('kuromoji/package.json')), 'dict');
  const tagger = await new Promise<{ tokenize(s: string): KuromojiToken[] }>((resolve, reject) =>
    kuromoji.builder({ dicPath }).build((err, t) => (err ? reject(err) : resolve(t))),
  );
  const CONTENT = new Set(['名詞', '動詞', '形容詞', '副詞', '接頭詞']);
  return {
    name: 'kuromoji-v1',
    terms(text) {
      const norm = normalize(text);
      const out = latinTerms(norm);
      for (const run of norm.match(CJK_RUN) ?? []) {
        for (const t of tagger.tokenize(run)) {
          if (!CONTENT.has(t.pos)) continue;
          const base = t.basic_form && t.basic_form !== '*' ? t.basic_form : t.surface_form;
          if (!HIRAGANA_ONLY.test(base) || base.length > 2) out.push(base);
        }
      }
      return out;
    },
  };
}

let kuromojiOnce: Promise<Tokenizer> | undefined;

/** kuromoji's dictionary loads once per process (~1 s). */
export const sharedKuromojiTokenizer = (): Promise<Tokenizer> => (kuromojiOnce ??= createKuromojiTokenizer());

/**
 * The tokeniser ingest uses unless told otherwise: script-aware bigrams. Measured on the retrieval
 * benchmark (same fusion, embedded embedder): bigrams recall@4 0.928 (ja 0.914, en 0.941), peak RSS
 * 169 MB; kuromoji 0.957 (ja 0.943, en 0.971) but its dictionary adds ~340 MB RSS to every process
 * that loads it (ingest 448 MB peak, and the app) and halves lexical indexing speed. Both meet the
 * 0.9 targets; the memory decides.
 */
export const defaultTokenizer = async (): Promise<Tokenizer> => bigramTokenizer;

/** The tokeniser an index was built with, by its recorded name. */
export async function tokenizerByName(name: string): Promise<Tokenizer> {
  if (name === bigramTokenizer.name) return bigramTokenizer;
  if (name === 'kuromoji-v1') return sharedKuromojiTokenizer();
  throw new Error(`index built with unknown tokenizer ${name}; re-run ingest`);
}
