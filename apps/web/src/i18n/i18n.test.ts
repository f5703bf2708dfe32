import { describe, expect, it } from 'vitest';
import { dictionaries, languages } from './strings.ts';
import { pickLanguage, translator } from './i18n.ts';
import { initialLanguage, rememberLanguage } from './language-choice.ts';

describe('i18n table', () => {
  const keys = Object.keys(dictionaries.en).sort();
  it.each(languages)('%s has every key, each non-empty', (lang) => {
    const dict: Record<string, string> = dictionaries[lang];
    expect(Object.keys(dict).sort()).toEqual(keys);
    for (const key of keys) expect(dict[key]?.trim().length, key).toBeGreaterThan(0);
  });
  it('Japanese strings are actually translated (not copies of English) for sentences', () => {
    const same = keys.filter((k) => (dictionaries.ja as Record<string, string>)[k] === (dictionaries.en as Record<string, string>)[k]);
    expect(same).toEqual([]);
  });
});

describe('pickLanguage', () => {
  it.each([
    [null, 'ja-JP', 'ja'],
    [null, 'ja', 'ja'],
    [null, 'en-US', 'en'],
    [null, 'fr-FR', 'en'],
    [null, undefined, 'en'],
    ['ja', 'en-US', 'ja'],
    ['en', 'ja-JP', 'en'],
  ] as const)('configured %s, navigator %s -> %s', (configured, nav, want) => {
    expect(pickLanguage(configured, nav)).toBe(want);
  });
  it('translates', () => {
    expect(translator('ja')('chat.send')).toBe('送信');
    expect(translator('en')('chat.send')).toBe('Send');
  });
});

describe('initialLanguage', () => {
  const memory = (): Pick<Storage, 'getItem' | 'setItem'> => {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
  };
  it('follows the browser until the user picks, then keeps the pick', () => {
    const store = memory();
    expect(initialLanguage(null, 'ja-JP', store)).toBe('ja');
    expect(initialLanguage(null, 'en-US', store)).toBe('en');
    rememberLanguage('en', store);
    expect(initialLanguage(null, 'ja-JP', store)).toBe('en');
    expect(initialLanguage('ja', 'ja-JP', store)).toBe('en');
    rememberLanguage('ja', store);
    expect(initialLanguage(null, 'en-US', store)).toBe('ja');
    expect(initialLanguage(null, 'ja-JP', null)).toBe('ja');
  });
  it('fills the voice-input message in both languages', () => {
    expect(translator('ja')('voice.needsStt', { language: translator('ja')('lang.name.ja') })).toMatch(/^日本語の音声入力には.*whisper\.cpp/);
    expect(translator('en')('voice.needsStt', { language: 'Japanese' })).toMatch(/^Voice input in Japanese needs .*whisper\.cpp/);
  });
});
