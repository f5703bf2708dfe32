import { describe, expect, it } from 'vitest';
import { languagePolicy } from './language.ts';

const base = { defaultLanguage: undefined, sttOption: 'en', sttLanguages: undefined, standinStt: false };

describe('languagePolicy', () => {
  it('takes the page language (ja-JP -> ja)', () => {
    const p = languagePolicy(base);
    expect(p.sessionLanguage('ja-JP')).toBe('ja');
    expect(p.sessionLanguage('en-GB')).toBe('en');
  });

  it('falls back to DEFAULT_LANGUAGE, then STT_LANGUAGE, then Japanese', () => {
    expect(languagePolicy({ ...base, defaultLanguage: 'ja' }).sessionLanguage(undefined)).toBe('ja');
    expect(languagePolicy(base).sessionLanguage('fr-FR')).toBe('en');
    expect(languagePolicy({ ...base, sttOption: 'auto' }).sessionLanguage(null)).toBe('ja');
    expect(languagePolicy({ ...base, sttOption: undefined }).defaultLanguage).toBe('ja');
  });

  it('says Japanese voice input is not understood on the English-only stand-in STT', () => {
    expect(languagePolicy({ ...base, standinStt: true }).voiceInput).toEqual({ ja: false, en: true });
    expect(languagePolicy(base).voiceInput).toEqual({ ja: true, en: true });
    expect(languagePolicy({ ...base, standinStt: true, sttLanguages: ['ja-JP', 'en'] }).voiceInput).toEqual({ ja: true, en: true });
  });
});
