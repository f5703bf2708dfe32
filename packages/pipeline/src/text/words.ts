/**
 * Word error rate for tests across the repo: Levenshtein distance over words, case-folded,
 * punctuation stripped. CJK text (no spaces) is compared per character.
 */

/** Kana, kanji (with 々 〆 〇), hangul: one token per character. */
const CJK = /[\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/u;

/** Lower-case, NFKC, punctuation and symbols removed, apostrophes dropped, one space between words. */
export function normalizeForWer(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Tokens of normalised text: words, with each CJK character a word of its own. */
export function werTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const word of normalizeForWer(text).split(' ')) {
    if (word === '') continue;
    let latin = '';
    for (const ch of word) {
      if (CJK.test(ch)) {
        if (latin) tokens.push(latin);
        latin = '';
        tokens.push(ch);
      } else {
        latin += ch;
      }
    }
    if (latin) tokens.push(latin);
  }
  return tokens;
}

/** Minimum substitutions + insertions + deletions turning `ref` into `hyp`. */
export function editDistance<T>(ref: readonly T[], hyp: readonly T[]): number {
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const sub = prev[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      row.push(Math.min(sub, prev[j]! + 1, row[j - 1]! + 1));
    }
    prev = row;
  }
  return prev[hyp.length]!;
}

/** (S + D + I) / N over normalised words. Empty reference: 0 if the hypothesis is empty too, else 1. */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const ref = werTokens(reference);
  const hyp = werTokens(hypothesis);
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1;
  return editDistance(ref, hyp) / ref.length;
}
