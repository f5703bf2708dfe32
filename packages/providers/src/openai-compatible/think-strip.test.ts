import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ThinkStripper, stripThink } from './think-strip.ts';

function chunked(text: string, cuts: number[]): string {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const t = new ThinkStripper();
  let out = '';
  let prev = 0;
  for (const p of points) {
    out += t.push(text.slice(prev, p));
    prev = p;
  }
  return out + t.push(text.slice(prev)) + t.end();
}

describe('ThinkStripper', () => {
  it.each([
    ['<think>\nplan it\n</think>\n\nHello there.', 'Hello there.'],
    ['<think></think>Hi', 'Hi'],
    ['Plain answer < 3 and a <b>tag</b>.', 'Plain answer < 3 and a <b>tag</b>.'],
    ['reasoning leaked</think>\nAnswer.', 'reasoning leakedAnswer.'],
    ['A <think>mid</think> B', 'A B'],
    ['Answer <think>never closed', 'Answer '],
    ['ends with <thi', 'ends with <thi'],
    ['', ''],
  ])('strips %j', (input, expected) => {
    expect(stripThink(input)).toBe(expected);
  });

  it('handles a tag split one character per chunk', () => {
    const text = '<think>x</think> Yes.';
    expect(chunked(text, [...Array(text.length).keys()])).toBe('Yes.');
  });

  const alphabet = fc.constantFrom('a', ' ', '\n', '<', '>', '/', 't', 'h', 'i', 'n', 'k', '<think>', '</think>', 'Hello. ');
  const textArb = fc.array(alphabet, { maxLength: 40 }).map((a) => a.join(''));

  it('output does not depend on chunking (property)', () => {
    fc.assert(
      fc.property(textArb, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        expect(chunked(text, cuts)).toBe(stripThink(text));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with a regex oracle on balanced input and never leaks a tag (property)', () => {
    const plain = fc.array(fc.constantFrom('a', 'b', ' ', '.', '<', '>', '\n'), { maxLength: 8 }).map((a) => a.join(''));
    const seg = fc.oneof(plain, plain.map((p) => `<think>${p.replaceAll('<', '')}</think>`));
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (segs, cuts) => {
        const text = segs.join('');
        const oracle = text.replace(/<think>[\s\S]*?<\/think>\s*/g, '');
        const got = chunked(text, cuts);
        expect(got).toBe(oracle);
        expect(got).not.toContain('<think>');
      }),
      { numRuns: 500 },
    );
  });
});
