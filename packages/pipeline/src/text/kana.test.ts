import { describe, expect, it } from 'vitest';
import { foldKana } from './kana.ts';

describe('foldKana', () => {
  it.each([
    ['ウン', 'うん'],
    ['ｳﾝ', 'うん'],
    ['エーット', 'えーっと'],
    ['ヴ', 'ゔ'],
    ['駐車場はドコですか？', '駐車場はどこですか?'],
    ['ＯＫ、ｇｏｔ ｉｔ', 'OK、got it'],
    ['はい', 'はい'],
  ])('%s -> %s', (a, b) => expect(foldKana(a)).toBe(b));
});
