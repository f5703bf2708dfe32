import { describe, expect, it } from 'vitest';
import { extractContext, extractiveAnswer, splitIntoSentences, streamPieces } from './extractive.ts';

const PASSAGES = `<<<[hours.md] The shop opens at 9 am on weekdays. On Saturdays it opens at 10 am.>>>
<<<[returns.md] Returns are accepted within 30 days with a receipt. Refunds go back to the original card.>>>
<<<[parking.md] Free parking is available behind the building. The car park closes at midnight.>>>`;

describe('extractive answer', () => {
  it('picks the sentence sharing most content words with the question', () => {
    const a = extractiveAnswer([
      { role: 'system', content: `Answer from these passages.\n${PASSAGES}` },
      { role: 'user', content: 'Until when are returns accepted?' },
    ]);
    expect(a).toContain('Returns are accepted within 30 days');
    expect(a).not.toContain('parking');
  });

  it('reads a "Context:" section and Japanese text with bigrams', () => {
    const msgs = [
      { role: 'system' as const, content: 'Context:\n営業時間は午前九時から午後六時までです。駐車場は建物の裏にあります。\n\nQuestion: ignored' },
      { role: 'user' as const, content: '駐車場はどこですか？' },
    ];
    expect(extractContext(msgs).length).toBeGreaterThan(0);
    expect(extractiveAnswer(msgs)).toBe('駐車場は建物の裏にあります。');
  });

  it('is honest without context', () => {
    expect(extractiveAnswer([{ role: 'user', content: 'what is the weather like today' }])).toBe(
      'I am the stand-in model. You said: what is the weather like today',
    );
  });

  it('streams words with their spaces and CJK in small groups', () => {
    expect(streamPieces('Go forward ten')).toEqual(['Go', ' forward', ' ten']);
    expect(streamPieces('駐車場です').join('')).toBe('駐車場です');
    expect(streamPieces('駐車場です').length).toBe(3);
  });
});

const ask = (context: string, q: string): string =>
  extractiveAnswer([
    { role: 'system', content: `Answer from the passages.\n[1] source: handbook (chunk a:0)\n<<<\n${context}\n>>>` },
    { role: 'user', content: q },
  ]);

const GARDEN = `# Garden handbook

## The seed vault

The seed vault holds 48,250 samples. Its curator is Dr. Amelia Okafor, who joined in 2019.

## Greenhouse

On Tuesdays the greenhouse is open from 9:30 to 15:00. It is closed on Mondays.

## Our tortoise

The tortoise is called Shelly. She is 82 years old.

## Tickets

An adult ticket costs 800 yen, e.g. at the main gate. Children under 15 enter free.`;

const HANDBOOK_JA = `# みどり植物園 利用案内

## 年間パスポート

年間パスポートは3,000円で、購入日から1年間有効です。更新は正門の窓口で受け付けます。

## 駐車場

駐車場は全部で120台分あり、そのうち4台は車いす用です。

## 温室

温室の担当者は植物学者の佐藤美咲さんです。`;

describe('extractive answer over a handbook', () => {
  it('answers four English questions with whole sentences, never a heading, never cut at "Dr." or "e.g."', () => {
    expect(ask(GARDEN, 'Who is the curator of the seed vault?')).toBe('Its curator is Dr. Amelia Okafor, who joined in 2019.');
    expect(ask(GARDEN, 'When is the greenhouse open on Tuesdays?')).toBe('On Tuesdays the greenhouse is open from 9:30 to 15:00.');
    expect(ask(GARDEN, 'What is the tortoise called?')).toBe('The tortoise is called Shelly.');
    expect(ask(GARDEN, 'How much does an adult ticket cost?')).toBe('An adult ticket costs 800 yen, e.g. at the main gate.');
  });

  it('answers Japanese questions with the Japanese sentence, without its heading', () => {
    expect(ask(HANDBOOK_JA, '年間パスポートの値段はいくらですか？')).toBe('年間パスポートは3,000円で、購入日から1年間有効です。');
    expect(ask(HANDBOOK_JA, '駐車場は何台とめられますか？')).toBe('駐車場は全部で120台分あり、そのうち4台は車いす用です。');
    expect(ask(HANDBOOK_JA, '温室の担当者は誰ですか？')).toBe('温室の担当者は植物学者の佐藤美咲さんです。');
  });

  it("answers in the question's language when the passages hold both", () => {
    const both = `${GARDEN}\n\n${HANDBOOK_JA}\n\n## Parking\n\nThe car park has 120 spaces, 4 of them for wheelchair users.`;
    expect(ask(both, '駐車場は何台分ありますか？')).toBe('駐車場は全部で120台分あり、そのうち4台は車いす用です。');
    expect(ask(both, 'How many spaces does the car park have?')).toBe('The car park has 120 spaces, 4 of them for wheelchair users.');
  });

  it('splits sentences at real ends only', () => {
    expect(splitIntoSentences('## Hours\nOpen at 9 a.m. The café opens at 10. Ratio 3.5 holds. 「はい。」と言いました。次です。')).toEqual([
      'Open at 9 a.m.',
      'The café opens at 10.',
      'Ratio 3.5 holds.',
      '「はい。」と言いました。',
      '次です。',
    ]);
  });
});
