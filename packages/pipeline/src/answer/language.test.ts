import { describe, expect, it } from 'vitest';
import { llmApology, NOTICES, spokenLanguage, SYSTEM_PROMPTS } from './language.ts';

describe('spokenLanguage', () => {
  it('kana or kanji => ja, Latin letters => en, whatever the session language', () => {
    expect(spokenLanguage('入園料はいくらですか？', 'en')).toBe('ja');
    expect(spokenLanguage('東京駅', 'en')).toBe('ja');
    expect(spokenLanguage('How much is the entrance fee?', 'ja')).toBe('en');
  });

  it('a Latin word inside Japanese stays Japanese, a Japanese name inside English stays English', () => {
    expect(spokenLanguage('Wi-Fiのパスワードは？', 'en')).toBe('ja');
    expect(spokenLanguage('What is 東京 like in spring?', 'ja')).toBe('en');
  });

  it('no letters at all: the session language', () => {
    expect(spokenLanguage('3,000', 'ja')).toBe('ja');
    expect(spokenLanguage('１２３', 'en')).toBe('en');
  });
});

describe('phrases', () => {
  it('Japanese apology, notices and system prompt are written in Japanese', () => {
    for (const text of [llmApology('ja'), ...Object.values(NOTICES.ja), SYSTEM_PROMPTS.ja]) expect(spokenLanguage(text, 'en')).toBe('ja');
    for (const text of [llmApology('en'), ...Object.values(NOTICES.en), SYSTEM_PROMPTS.en]) expect(spokenLanguage(text, 'ja')).toBe('en');
    expect(SYSTEM_PROMPTS.ja).toContain('ユーザーが話した言語で答えます');
  });
});
