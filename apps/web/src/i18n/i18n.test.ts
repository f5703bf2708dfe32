import { describe, expect, it } from 'vitest';
import { dictionaries, languages } from './strings.ts';
import { pickLanguage, translator } from './i18n.ts';

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
