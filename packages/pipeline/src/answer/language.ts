import type { Language } from '../ports.ts';

export type { Language };

export function isLanguage(value: unknown): value is Language {
  return value === 'ja' || value === 'en';
}

const JAPANESE = /[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]/gu;
const LATIN = /[A-Za-z]/g;

/**
 * The language a transcript was spoken in, from its script: kana or kanji => ja, Latin letters =>
 * en; a few Japanese characters inside English ("What is 東京 like?") stay English, a few Latin
 * letters inside Japanese ("Wi-Fiのパスワードは？") stay Japanese. No letters at all (digits,
 * punctuation) => the session's language.
 */
export function spokenLanguage(text: string, sessionLanguage: Language): Language {
  const ja = text.match(JAPANESE)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  if (ja === 0 && latin === 0) return sessionLanguage;
  return ja > 0 && ja * 4 >= latin ? 'ja' : 'en';
}

/** Spoken when the language model fails or times out. */
export function llmApology(language: Language): string {
  return language === 'ja'
    ? '申し訳ありません、今うまく考えられませんでした。もう一度お願いできますか。'
    : "Sorry, I couldn't think of an answer just now. Could you say that again?";
}

/** The `message` of the error events a turn sends, in the turn's language. */
export const NOTICES: Readonly<Record<Language, { llmFailed: string; ttsFailed: string; retrievalFailed: string; internal: string }>> = {
  en: {
    llmFailed: 'The language model did not answer; a fallback reply was used.',
    ttsFailed: 'Speech synthesis failed; showing the text only.',
    retrievalFailed: 'Document search failed; answering without documents.',
    internal: 'The answer failed unexpectedly.',
  },
  ja: {
    llmFailed: '言語モデルから応答がなかったため、定型の返答を使いました。',
    ttsFailed: '音声合成に失敗したため、文字だけで表示します。',
    retrievalFailed: '資料の検索に失敗したため、資料なしで答えます。',
    internal: '応答の途中で予期しないエラーが起きました。',
  },
};

export const SYSTEM_PROMPTS: Readonly<Record<Language, string>> = {
  en:
    'You are a friendly voice assistant shown as an avatar. Answer briefly in one to three short spoken sentences, ' +
    'in the language the user speaks. No markdown, no lists. When reference passages are given, answer from them ' +
    'and say so if they do not contain the answer. You may start a sentence with one emotion tag such as [happy].',
  ja:
    'あなたはアバターとして画面に表示される、親しみやすい音声アシスタントです。' +
    '話し言葉で、短い文を一つから三つ使って簡潔に答えてください。' +
    'ユーザーが話した言語で答えます。日本語で話しかけられたら日本語で、英語で話しかけられたら英語で答えてください。' +
    'マークダウンや箇条書きは使わないでください。参考文が与えられたときはそれに基づいて答え、' +
    '参考文に答えが書かれていなければ、そのことを伝えてください。' +
    '文の始めに [happy] のような感情タグを一つだけ付けてもかまいません。',
};
