/** Spoken when the language model fails or times out. */
export function llmApology(language: string): string {
  return language.startsWith('ja')
    ? '申し訳ありません、今うまく考えられませんでした。もう一度お願いできますか。'
    : "Sorry, I couldn't think of an answer just now. Could you say that again?";
}

/** Picks ja when the text is mostly Japanese script, otherwise the configured language. */
export function languageOf(text: string, fallback: string): string {
  const cjk = (text.match(/[\u3040-\u30ff\u4e00-\u9fff]/g) ?? []).length;
  return cjk > 0 && cjk >= text.replace(/\s/g, '').length * 0.3 ? 'ja' : fallback;
}
