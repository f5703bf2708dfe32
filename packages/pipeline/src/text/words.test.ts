import { describe, expect, it } from 'vitest';
import { editDistance, normalizeForWer, werTokens, wordErrorRate } from './words.ts';

describe('word error rate', () => {
  it('normalises case, punctuation and apostrophes', () => {
    expect(normalizeForWer('  Go forward, TEN meters!  ')).toBe('go forward ten meters');
    expect(normalizeForWer("Don't stop—now.")).toBe('dont stop now');
    expect(wordErrorRate('Go forward ten meters.', 'go forward, ten meters')).toBe(0);
  });

  it('counts substitutions, insertions and deletions', () => {
    expect(wordErrorRate('go forward ten meters', 'go forward two meters')).toBe(0.25);
    expect(wordErrorRate('go forward ten meters', 'go forward')).toBe(0.5);
    expect(wordErrorRate('go forward', 'go go forward now')).toBe(1);
    expect(wordErrorRate('', '')).toBe(0);
    expect(wordErrorRate('', 'noise')).toBe(1);
    expect(editDistance(['a', 'b', 'c'], ['c', 'b', 'a'])).toBe(2);
  });

  it('compares Japanese per character', () => {
    expect(werTokens('今日は、いい天気。OK')).toEqual(['今', '日', 'は', 'い', 'い', '天', '気', 'ok']);
    expect(wordErrorRate('今日はいい天気', '今日は良い天気')).toBeCloseTo(1 / 7, 10);
    // 々 is a character of its own; full-width digits and Latin inside Japanese are normalised whole
    expect(werTokens('人々は３，０００円のWi-Fiを使う')).toEqual(['人', '々', 'は', '3', '000', '円', 'の', 'wi', 'fi', 'を', '使', 'う']);
    expect(wordErrorRate('入園料は８００円です。', '入園料は800円です')).toBe(0);
  });
});
