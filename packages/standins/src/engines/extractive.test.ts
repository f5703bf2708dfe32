import { describe, expect, it } from 'vitest';
import { extractContext, extractiveAnswer, streamPieces } from './extractive.ts';

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
