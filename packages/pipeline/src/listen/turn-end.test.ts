import { describe, expect, it } from 'vitest';
import { classifyUtteranceEnd, defaultTurnEndOptions, endOfTurnSilenceMs } from './turn-end.ts';

describe('classifyUtteranceEnd', () => {
  it.each([
    ['駐車場は何台とめられますか。', 'complete'],
    ['年間パスポートの値段を教えてください', 'complete'],
    ['大人の入園料はいくらですか', 'complete'],
    ['今日は天気がいいですね', 'complete'],
    ['それはいいと思うよ', 'complete'],
    ['昨日行きました', 'complete'],
    ['駐車場に車を止めて', 'continue'],
    ['今日は雨なので', 'continue'],
    ['年間パスポートを買いたいんですけど', 'continue'],
    ['温室は開いていますが', 'continue'],
    ['子どもと行くから', 'continue'],
    ['えーと', 'continue'],
    ['あのー', 'continue'],
    ['入口の近くに、', 'continue'],
    ['駐車場の', 'continue'],
    ['カメの名前', 'neutral'],
  ] as const)('ja %s -> %s', (text, kind) => {
    expect(classifyUtteranceEnd(text)).toBe(kind);
  });

  it.each([
    ['How many cars fit in the parking lot?', 'complete'],
    ['how many cars fit in the parking lot', 'complete'],
    ['where is the restaurant', 'complete'],
    ['I would like to see the greenhouse and', 'continue'],
    ['the parking lot is full but', 'continue'],
    ['we are bringing two children so', 'continue'],
    ['um', 'continue'],
    ['I was wondering if', 'continue'],
    ['when does the tropical greenhouse', 'continue'],
    ['when does the tropical greenhouse close on tuesdays', 'complete'],
    ['what can my kids', 'continue'],
    ['the seed vault and...', 'continue'],
    ['hello', 'neutral'],
    ['he might have been made still more respectable than he was', 'complete'],
    ['do you know what time it is', 'complete'],
    ['can you tell me where it is', 'complete'],
    ['I will come as fast as I can', 'complete'],
    ['yes it is', 'complete'],
    ['I was', 'neutral'],
    ['and yesterday he was', 'neutral'],
    ['the parking lot is', 'continue'],
    ['when does the tropical greenhouse close on tuesdays and', 'continue'],
  ] as const)('en %s -> %s', (text, kind) => {
    expect(classifyUtteranceEnd(text)).toBe(kind);
  });

  it('an empty transcript after speech (a filler, a breath) waits for more', () => {
    expect(classifyUtteranceEnd('')).toBe('continue');
  });
});

describe('endOfTurnSilenceMs', () => {
  it('a finished sentence ends soon, a continuation waits longest, never beyond the maximum', () => {
    const o = defaultTurnEndOptions;
    expect(endOfTurnSilenceMs('駐車場は何台ですか。')).toBe(o.completeMs);
    expect(endOfTurnSilenceMs('カメの名前')).toBe(o.neutralMs);
    expect(endOfTurnSilenceMs('雨なので')).toBe(o.continueMs);
    expect(endOfTurnSilenceMs('and', { ...o, continueMs: 5000 })).toBe(o.maxMs);
    expect(o.completeMs).toBeLessThan(o.neutralMs);
    expect(o.neutralMs).toBeLessThan(o.continueMs);
  });
});
