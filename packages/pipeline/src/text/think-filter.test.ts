import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ThinkFilter } from './think-filter.ts';

function filterAt(text: string, cuts: number[]): string {
  const f = new ThinkFilter();
  let out = '';
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    out += f.push(text.slice(prev, c));
    prev = c;
  }
  return out + f.push(text.slice(prev)) + f.flush();
}
const oracle = (text: string): string => text.replace(/<think>[\s\S]*?(?:<\/think>\s*|$)/g, '');

describe('ThinkFilter', () => {
  it.each([
    ['<think>\n\n</think>\n\nHello!', 'Hello!'],
    ['<think>Let me reason about x < y.</think>The answer is 4.', 'The answer is 4.'],
    ['Before <think>hidden</think> after', 'Before after'],
    ['No tags at all, a < b and <b>bold</b>', 'No tags at all, a < b and <b>bold</b>'],
    ['<think>never closed', ''],
    ['ends with a partial tag <thi', 'ends with a partial tag <thi'],
    ['a<think>1</think>b<think>2</think>c', 'abc'],
  ])('%j -> %j', (input, expected) => {
    expect(filterAt(input, [])).toBe(expected);
    expect(filterAt(input, [...Array(input.length).keys()])).toBe(expected);
  });

  it('does not hold back text that cannot start a tag', () => {
    const f = new ThinkFilter();
    expect(f.push('Hello wor')).toBe('Hello wor');
    expect(f.push('ld <t')).toBe('ld ');
    expect(f.push('ea')).toBe('<tea');
    expect(f.push('<think>abc</th')).toBe('');
    expect(f.thinking).toBe(true);
    expect(f.push('ink>  ok')).toBe('ok');
  });

  it('property: any split of any text matches the whole-text regex', () => {
    const piece = fc.constantFrom('<think>', '</think>', '<', '>', '</', 'think', '<th', 'ink>', ' ', '\n', 'a', 'Hello', '/', 't');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }).map((p) => p.join('')), fc.array(fc.nat(), { maxLength: 12 }), (text, raw) => {
        expect(filterAt(text, raw.map((c) => c % (text.length + 1)))).toBe(oracle(text));
      }),
      { numRuns: 1000 },
    );
  });
});
