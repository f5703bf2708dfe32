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
export const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'vs', 'no', 'fig', 'approx', 'dept', 'est', 'mt', 'ft', 'jan', 'feb',
  'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'inc', 'ltd', 'co', 'corp', 'vol', 'ca', 'cf',
]);

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
