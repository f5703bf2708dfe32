/** Tokenisation shared by the embedding and extractive-answer stand-ins (English + Japanese aware). */

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/;
const CJK_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+/g;
const HIRAGANA_ONLY = /^[\u3040-\u309f]+$/;

const STOPWORDS = new Set(
  `a an the and or but if of to in on at by for with from as is are was were be been being am do does did
  doing have has had having i me my we our you your he him his she her it its they them their this that these
  those what which who whom whose when where why how not no nor so than too very can could will would shall
  should may might must just about into over under again further then once here there all any both each few
  more most other some such only own same s t don now tell please say said get got also up down out off`.split(/\s+/),
);

export function hasCjk(text: string): boolean {
  return CJK.test(text);
}

/** Lower-case Latin/digit words (all of them, stop words included). */
export function words(text: string): string[] {
  return text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}][\p{L}\p{N}'’]*/gu)?.filter((w) => !CJK.test(w)) ?? [];
}

/** Character bigrams of every CJK run (a single character for a run of one). */
export function cjkBigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of text.normalize('NFKC').match(CJK_RUN) ?? []) {
    if (run.length === 1) out.push(run);
    for (let i = 0; i + 1 < run.length; i++) {
      const bg = run.slice(i, i + 2);
      if (!HIRAGANA_ONLY.test(bg)) out.push(bg); // particles like "のは" carry no content
    }
  }
  return out;
}

/** Crude English stemming, enough for "meters"/"meter", "opening"/"open". */
export function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/** Content terms: stemmed non-stop-words plus CJK bigrams. */
export function contentTerms(text: string): string[] {
  const latin = words(text)
    .filter((w) => !STOPWORDS.has(w) && (w.length > 1 || /\d/.test(w)))
    .map(stem);
  return [...latin, ...cjkBigrams(text)];
}

/** FNV-1a 32-bit hash. */
export function hash32(s: string, seed = 2166136261): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Deterministic text-feature embedding: hashed content-word unigrams (weight 1), character trigrams
 * of each word (weight 0.3) and CJK bigrams (weight 1), signed by a second hash, L2-normalised.
 * Texts sharing words are close; unrelated texts are near-orthogonal.
 */
export function featureVector(text: string, dims: number): Float32Array {
  const v = new Float32Array(dims);
  const add = (feature: string, weight: number): void => {
    const h = hash32(feature);
    v[h % dims]! += (hash32(feature, 0x9747b28c) & 1 ? 1 : -1) * weight;
  };
  for (const w of contentTerms(text)) {
    add(`w:${w}`, 1);
    if (!CJK.test(w)) {
      const padded = `#${w}#`;
      for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`, 0.3);
    }
  }
  let norm = 0;
  for (let i = 0; i < dims; i++) norm += v[i]! * v[i]!;
  norm = Math.sqrt(norm);
  if (norm === 0) {
    v[hash32(text) % dims] = 1; // empty of content: still a unit vector, like a real model's
    return v;
  }
  for (let i = 0; i < dims; i++) v[i]! /= norm;
  return v;
}

/** Rough token count for `usage` (words + CJK characters). */
export function countTokens(text: string): number {
  return words(text).length + (text.match(CJK_RUN)?.join('').length ?? 0);
}
