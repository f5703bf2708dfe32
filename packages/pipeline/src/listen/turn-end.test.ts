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
    // greetings, answers and requests are whole sentences; a final の after a predicate asks
    ['こんにちは', 'complete'],
    ['こんばんは。', 'complete'],
    ['いいえ', 'complete'],
    ['営業時間を教えて', 'complete'],
    ['ちょっと待って', 'complete'],
    ['地図を見せてくれる', 'complete'],
    ['何時に閉まるんだっけ', 'complete'],
    ['何時に閉まるの', 'complete'],
    ['どうしたの', 'complete'],
    ['何時に閉まるの？', 'complete'],
    ['それは', 'continue'],
    ['温室に行ってから', 'continue'],
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
    ['hello', 'complete'],
    ['hmm', 'continue'],
    ['okay', 'neutral'],
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

  // what people say to an assistant: a pronoun, a preposition or "that" at the end is often the end
  it.each([
    ['Thank you.', 'complete'],
    ['Thank you very much', 'complete'],
    ['How are you?', 'complete'],
    ['how are you', 'complete'],
    ['how old are you', 'complete'],
    ['nice to meet you', 'complete'],
    ['what about you', 'complete'],
    ['where am I', 'complete'],
    ['could you', 'continue'],
    ['what do you', 'continue'],
    ['and then I', 'continue'],
    ['are you', 'neutral'],
    ['yes', 'complete'],
    ['no thanks', 'complete'],
    ['What is this?', 'complete'],
    ['what is that', 'complete'],
    ["what's that", 'complete'],
    ['I like those', 'complete'],
    ['tell me about this', 'complete'],
    ['I think that', 'continue'],
    ['the problem is that', 'continue'],
    ['the one that', 'continue'],
    ['what are you looking for', 'complete'],
    ['where are you from', 'complete'],
    ['who are you talking to', 'complete'],
    ['what is it made of', 'complete'],
    ['which city do you live in', 'complete'],
    ['can I come in', 'complete'],
    ['please turn it on', 'complete'],
    ['what time do you open on', 'continue'],
    ['what would you like to', 'continue'],
    ['what about', 'continue'],
    ['I bought a ticket for', 'continue'],
    ['I think so', 'complete'],
    ['we are bringing two children so', 'continue'],
    ['what is it like', 'complete'],
    ['I would like', 'continue'],
    ['do you have any', 'complete'],
    ['tell me more', 'complete'],
    ['which one is the most', 'continue'],
    ["I'm doing well", 'complete'],
    ['and then', 'continue'],
    ['well', 'continue'],
    ['is it open on tuesdays?', 'complete'],
    ['is it open on the?', 'continue'],
    ['I saw her', 'neutral'],
    ['I like it', 'complete'],
    ['how much is it', 'complete'],
    ['is it', 'neutral'],
    ['and when it', 'continue'],
    ['because it', 'continue'],
    ['I think you', 'continue'],
    ['I hope it', 'continue'],
    ['I love you', 'complete'],
    ['what is the price of', 'continue'],
    ['what is the name of', 'continue'],
    ['what are you talking about', 'complete'],
    ['what do you think', 'complete'],
    ['what do you recommend', 'complete'],
    ['why did it stop', 'complete'],
    ['how do I', 'continue'],
    ['when does the museum reopen', 'complete'],
    ['how long does the tortoise sleep', 'complete'],
  ] as const)('en everyday %s -> %s', (text, kind) => {
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
