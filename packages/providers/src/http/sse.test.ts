import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SseParser } from './sse.ts';

const parseAll = (pieces: string[]): string[] => {
  const p = new SseParser();
  const out = pieces.flatMap((x) => p.push(x).map((e) => e.data));
  return [...out, ...p.end().map((e) => e.data)];
};

describe('SseParser', () => {
  it('handles comments, multi-line data, event/id fields, [DONE]', () => {
    const p = new SseParser();
    const evs = p.push(': ping\n\nevent: speech.audio.delta\nid: 7\ndata: {"a":\ndata: 1}\n\ndata:[DONE]\n\n');
    expect(evs).toEqual([{ event: 'speech.audio.delta', id: '7', data: '{"a":\n1}' }, { id: '7', data: '[DONE]' }]);
  });

  it('a comment-only block dispatches nothing; field without colon is a field name', () => {
    expect(parseAll([':\n\n', 'data\n\n'])).toEqual(['']);
  });

  it('dispatches an unterminated last event at end()', () => {
    expect(parseAll(['data: tail'])).toEqual(['tail']);
  });

  it('is independent of chunk boundaries and line endings (property)', () => {
    const payload = fc.array(fc.constantFrom('a', 'b', '{', '}', ' ', ':', '"'), { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(payload, { minLength: 1, maxLength: 5 }), fc.constantFrom('\n', '\r\n', '\r'), fc.array(fc.nat(), { maxLength: 10 }), (datas, eol, cuts) => {
        const text = datas.map((d) => `: c${eol}data: ${d}${eol}${eol}`).join('');
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((x, y) => x - y);
        const pieces: string[] = [];
        let prev = 0;
        for (const q of points) {
          pieces.push(text.slice(prev, q));
          prev = q;
        }
        pieces.push(text.slice(prev));
        expect(parseAll(pieces)).toEqual(datas);
      }),
      { numRuns: 400 },
    );
  });
});
