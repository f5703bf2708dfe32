import { describe, expect, it } from 'vitest';
import { isOnlyFillers } from './fillers.ts';

describe('isOnlyFillers', () => {
  it.each(['えーと', 'えーと。', 'えっと、あの…', 'うーん', 'あのー、えーっと', 'まあ', 'Um.', 'uh, um', 'Hmm...', 'Well, let me see.', 'so um', 'エート', 'アノー、エット', 'ｴｰﾄ'])('%s is only fillers', (t) => {
    expect(isOnlyFillers(t)).toBe(true);
  });
  it.each(['', '。', 'えーと、駐車場は', 'はい', 'うん', 'あの駐車場', 'そのカメ', 'Um, what time', 'yes', 'well done', 'let me see the map', 'me', 'so what', 'え？', 'Hmm?'])('%s is not', (t) => {
    expect(isOnlyFillers(t)).toBe(false);
  });
});
