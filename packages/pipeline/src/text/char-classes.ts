/** Character classes and widths used by the sentence splitter. */

export const DEFAULT_EMOTIONS: readonly string[] = ['neutral', 'happy', 'sad', 'angry', 'surprised', 'relaxed'];
export const DEFAULT_EMOTION_ALIASES: Readonly<Record<string, string>> = {
  joy: 'happy',
  fun: 'happy',
  sorrow: 'sad',
  surprise: 'surprised',
  calm: 'relaxed',
};

export const HARD = new Set('。！？!?…．｡');
export const SOFT = new Set('、，,;；:：');
export const CLOSERS = new Set('」』）)]}】〉》〕"\'”’');
/**
 * English abbreviations by how their '.' behaves before the next word (lower case, without the
 * final '.'; dotted initialisms such as u.s / e.g / a.m are recognised by shape):
 * - never a sentence end: titles before a name and Latin shorthands inside a sentence;
 * - a sentence end only before a capital letter ("at 9 a.m. The cafe...", "Acme Inc. It...");
 * Upper-case initialisms (U.S., U.K.) are never final: they usually go on with a name.
 * - an abbreviation only before a number ("No. 5", "Fig. 3"; "the answer is no." ends).
 */
export const ABBREVIATIONS_NEVER_FINAL = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'st', 'mt', 'rev', 'gen', 'capt', 'lt', 'col', 'sgt', 'sen', 'rep', 'gov', 'pres',
  'hon', 'messrs', 'vs', 'cf', 'e.g', 'i.e', 'viz', 'approx', 'dept', 'jan', 'feb', 'apr', 'jun', 'jul', 'aug', 'sep',
  'sept', 'oct', 'nov', 'dec',
]);
export const ABBREVIATIONS_FINAL_BEFORE_CAPITAL = new Set([
  'a.m', 'p.m', 'etc', 'inc', 'ltd', 'co', 'corp', 'jr', 'sr', 'est', 'ft', 'mar',
]);
export const ABBREVIATIONS_BEFORE_NUMBER = new Set(['no', 'nos', 'fig', 'figs', 'vol', 'ca', 'pp', 'ch', 'art', 'op']);

export type AbbreviationKind = 'never-final' | 'final-before-capital' | 'before-number';

/** How `word` (the text before a '.', lower or upper case) behaves as an abbreviation, if it is one. */
export function abbreviationKind(word: string): AbbreviationKind | undefined {
  const original = word.replace(/^[("'“‘[]+/, '');
  const w = original.toLowerCase();
  // U.S. / U.K. usually go on with a name (U.S. Embassy): kept; a.m. / p.m. end before a capital.
  if (ABBREVIATIONS_NEVER_FINAL.has(w) || /^(?:[A-Z]\.)+[A-Z]$/.test(original)) return 'never-final';
  if (ABBREVIATIONS_BEFORE_NUMBER.has(w)) return 'before-number';
  if (ABBREVIATIONS_FINAL_BEFORE_CAPITAL.has(w) || /^(?:[a-z]\.)+[a-z]$/.test(w)) return 'final-before-capital';
  return undefined;
}

export function isWide(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0x303e) ||
    (c >= 0x3040 && c <= 0x33ff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xac00 && c <= 0xd7af) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6)
  );
}

/** Display width: CJK / full-width characters count 2. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += isWide(ch) ? 2 : 1;
  return w;
}
