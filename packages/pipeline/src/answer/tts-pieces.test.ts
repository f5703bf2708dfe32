import { describe, expect, it } from 'vitest';
import { displayWidth } from '../text/sentence-splitter.ts';
import { TTS_PIECE_MAX_WIDTH, ttsPieces } from './tts-pieces.ts';

describe('ttsPieces', () => {
  it('a segment within the width is one request, unchanged', () => {
    expect(ttsPieces('入園料は大人800円です。')).toEqual(['入園料は大人800円です。']);
    expect(ttsPieces('The robot can go forward ten meters.')).toEqual(['The robot can go forward ten meters.']);
  });

  it('a long Japanese segment is cut after a 、 in the second half, every piece within the width, nothing lost', () => {
    const text = '園内には大きな池があり、春には桜が咲き、夏には蓮の花が水面を覆うように咲いていて、秋には紅葉が池に映り、冬には雪景色が広がります。';
    const pieces = ttsPieces(text);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(text);
    for (const p of pieces) expect(displayWidth(p)).toBeLessThanOrEqual(TTS_PIECE_MAX_WIDTH);
    expect(pieces.slice(0, -1).every((p) => p.endsWith('、'))).toBe(true);
  });

  it('Japanese without any punctuation is cut at the width', () => {
    const text = 'あ'.repeat(100);
    const pieces = ttsPieces(text);
    expect(pieces.map((p) => p.length)).toEqual([40, 40, 20]);
  });

  it('a long English segment is cut at a space (or a comma late enough), never inside a word', () => {
    const text = 'The robot can go forward ten meters before it must recharge its battery, which lasts about two hours when it carries nothing heavy at all.';
    const pieces = ttsPieces(text);
    expect(pieces.join('')).toBe(text);
    for (const p of pieces) expect(displayWidth(p)).toBeLessThanOrEqual(TTS_PIECE_MAX_WIDTH);
    expect(pieces[0]).toBe('The robot can go forward ten meters before it must recharge its battery,');
    for (const p of pieces.slice(0, -1)) expect(p).toMatch(/[\s,]$/);
  });
});
