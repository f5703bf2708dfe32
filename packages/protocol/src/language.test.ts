import { describe, expect, it } from 'vitest';
import { normalizeLanguage } from './language.ts';

describe('normalizeLanguage', () => {
  it.each([
    ['ja', 'ja'],
    ['ja-JP', 'ja'],
    ['JA_jp', 'ja'],
    [' ja-Jpan-JP ', 'ja'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['en-GB', 'en'],
  ] as const)('%s -> %s', (tag, want) => expect(normalizeLanguage(tag)).toBe(want));

  it.each(['fr-FR', 'jav', 'eng', '', 'x-ja', '日本語'])('%s is not a session language', (tag) => expect(normalizeLanguage(tag)).toBeNull());

  it('treats a missing tag as none', () => {
    expect(normalizeLanguage(undefined)).toBeNull();
    expect(normalizeLanguage(null)).toBeNull();
  });
});
