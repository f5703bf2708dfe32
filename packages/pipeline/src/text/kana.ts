/**
 * Kana folded to one script for matching words: a recogniser may write the same interjection in
 * hiragana, katakana or half-width katakana (うん, ウン, ｳﾝ; えーと, エート). NFKC first (half-width
 * kana and full-width Latin to their usual forms), then katakana to hiragana; ー stays.
 */
export function foldKana(text: string): string {
  return text.normalize('NFKC').replace(/[\u30a1-\u30f6]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}
