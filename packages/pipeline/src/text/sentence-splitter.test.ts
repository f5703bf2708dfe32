import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SentenceSplitter, displayWidth, splitSentences, type Segment, type SentenceSplitterOptions } from './sentence-splitter.ts';

function split(text: string, opts?: SentenceSplitterOptions): Segment[] {
  const s = new SentenceSplitter(opts);
  return [...s.push(text), ...s.flush()];
}
function splitAt(text: string, cuts: number[], opts?: SentenceSplitterOptions): Segment[] {
  const s = new SentenceSplitter(opts);
  const out: Segment[] = [];
  let prev = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
    out.push(...s.push(text.slice(prev, c)));
    prev = c;
  }
  out.push(...s.push(text.slice(prev)), ...s.flush());
  return out;
}
/** "{emotion}text" per segment, for compact golden rows. */
const show = (segs: Segment[]): string[] => segs.map((s) => (s.emotion ? `{${s.emotion}}` : '') + s.text);

const GOLDEN: Array<[string, string, string[]]> = [
  ['english sentences', 'Hello there. How are you today? I am fine!', ['Hello there.', 'How are you today?', 'I am fine!']],
  ['early first chunk at a comma', 'Sure, I can help with that, it is easy. Next.', ['Sure, I can help with that,', 'it is easy.', 'Next.']],
  ['short first clause is not released alone', 'Well, yes.', ['Well, yes.']],
  ['decimals', 'The value of pi is about 3.14 and e is 2.718. Nice.', ['The value of pi is about 3.14 and e is 2.718.', 'Nice.']],
  [
    'abbreviations',
    'Mr. Smith met Dr. Jones in the U.S. yesterday. They talked, e.g. about golf.',
    ['Mr. Smith met Dr. Jones in the U.S. yesterday.', 'They talked, e.g. about golf.'],
  ],
  ['numbers with comma and colon', 'It costs $1,000 at 10:30 today.', ['It costs $1,000 at 10:30 today.']],
  ['version numbers and domains', 'Version 1.2.3 is out. See example.com for more.', ['Version 1.2.3 is out.', 'See example.com for more.']],
  ['japanese hard breaks', 'こんにちは。今日はいい天気ですね！散歩に行きましょうか？', ['こんにちは。', '今日はいい天気ですね！', '散歩に行きましょうか？']],
  [
    'japanese early first chunk, later 、 only past softBreakMinChars',
    'はい、わかりました。それでは、説明しますね、まず最初に資料を確認してください。',
    ['はい、わかりました。', 'それでは、説明しますね、まず最初に資料を確認してください。'],
  ],
  ['japanese first chunk at 、', '東京は日本の首都で、人口は約1400万人です。', ['東京は日本の首都で、', '人口は約1400万人です。']],
  ['mixed japanese and english', 'Qwen3-32B は、NVIDIA の GPU で動きます。速いですよ。', ['Qwen3-32B は、', 'NVIDIA の GPU で動きます。', '速いですよ。']],
  ['emotion tags', '[happy] Great to see you! [sad] But I have bad news.', ['{happy}Great to see you!', '{sad}But I have bad news.']],
  ['emotion aliases and case', '[joy]やったね！[Surprised]本当に？', ['{happy}やったね！', '{surprised}本当に？']],
  ['a tag mid-sentence starts a new segment', 'I think [angry] this is wrong.', ['I think', '{angry}this is wrong.']],
  ['unknown bracket text is spoken', 'See [note] and [1] here.', ['See [note] and [1] here.']],
  [
    'markdown noise',
    '## Summary\n- **First** item\n* Second `code` item\n> quoted\n\n1. Numbered one\n2) Numbered two',
    ['Summary', 'First item', 'Second code item', 'quoted', '1. Numbered one', '2) Numbered two'],
  ],
  ['ellipsis and stacked punctuation', 'Wait... what? Really?! Yes.', ['Wait...', 'what?', 'Really?!', 'Yes.']],
  ['closing quotes stay with their sentence', '「こんにちは。」と彼は言った。', ['「こんにちは。」', 'と彼は言った。']],
  ['english quotes', 'He said "Stop!" and left. Then silence.', ['He said "Stop!"', 'and left.', 'Then silence.']],
  [
    'long unpunctuated latin text is cut at a space',
    'a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p q r s t u v w x y z and so on and on and on',
    ['a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d', 'e f g h i j k l m n o p q r s t u v w x y z and so on and on and on'],
  ],
  [
    'long unpunctuated japanese is cut anywhere',
    'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんあいうえおかきくけこ',
    ['あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほま', 'みむめもやゆよらりるれろわをんあいうえおかきくけこ'],
  ],
  ['blank lines and spaces', 'OK.   \n\n   Next line here.', ['OK.', 'Next line here.']],
  ['semicolons and colons are soft', 'First, note this; second, note that: and third, the end.', ['First, note this;', 'second, note that: and third, the end.']],
  ['whitespace / punctuation-only input gives nothing', '  \n [neutral] ... \n', []],
  ['full-width punctuation and numbers', '価格は１，０００円です．ありがとう', ['価格は１，０００円です．', 'ありがとう']],
  ['newline is a hard break', 'First line without stop\nSecond line', ['First line without stop', 'Second line']],
  // English abbreviations: a title never ends a sentence; a.m./p.m./etc. end one before a capital;
  // No./Fig. are abbreviations only before a number ("the answer is no." ends).
  ['a title before a name: Dr.', 'The current curator is Dr. Emiko Sato. She joined in 2019.', ['The current curator is Dr. Emiko Sato.', 'She joined in 2019.']],
  [
    'Mrs., Mr., St., i.e.',
    'Mrs. Tanaka and Mr. Ito run the St. James gate, i.e. the north gate.',
    ['Mrs. Tanaka and Mr. Ito run the St. James gate,', 'i.e. the north gate.'],
  ],
  ['a.m. and p.m. inside a sentence', 'We open at 9 a.m. and close at 5 p.m. every day.', ['We open at 9 a.m. and close at 5 p.m. every day.']],
  ['a.m. ending a sentence', 'We open at 9 a.m. The cafe opens later.', ['We open at 9 a.m.', 'The cafe opens later.']],
  ['U.S. before a name and before a lower-case word', 'Ask the U.S. Embassy. It was made in the U.S. by hand.', ['Ask the U.S. Embassy.', 'It was made in the U.S. by hand.']],
  ['No. and Fig. before a number, "no." at a sentence end', 'See Fig. 3 and No. 5. The answer is no. Ask again.', ['See Fig. 3 and No. 5.', 'The answer is no.', 'Ask again.']],
  ['etc. and Inc. before a capital end a sentence', 'Apples, pears etc. Then Acme Inc. It sells them.', ['Apples, pears etc.', 'Then Acme Inc.', 'It sells them.']],
  ['an abbreviation right after Japanese text', '学芸員はDr.佐藤です。Mr. 田中も来ます。', ['学芸員はDr.佐藤です。', 'Mr. 田中も来ます。']],
  // Japanese
  ['japanese 。！？… and ？！', 'えっと…それは難しいですね。本当に？！はい！', ['えっと…', 'それは難しいですね。', '本当に？！', 'はい！']],
  [
    'japanese 『』 and 「」 keep their stops inside',
    '『吾輩は猫である』は夏目漱石の小説です。「名前はまだ無い。」と書かれています。',
    ['『吾輩は猫である』は夏目漱石の小説です。', '「名前はまだ無い。」', 'と書かれています。'],
  ],
  ['japanese decimals 3.5 and ３．５', '気温は3.5度です。距離は３．５キロです。', ['気温は3.5度です。', '距離は３．５キロです。']],
  ['full-width digits and 、 between prices', '入園料は大人８００円、子ども４００円です。', ['入園料は大人８００円、', '子ども４００円です。']],
  [
    'a first clause released early at 、, later clauses not',
    'ご質問ありがとうございます、入園料についてお答えします。大人は八百円、子どもは四百円です。',
    ['ご質問ありがとうございます、', '入園料についてお答えします。', '大人は八百円、子どもは四百円です。'],
  ],
  [
    'numbers and Latin words inside japanese stay whole',
    'Wi-Fi のパスワードは Node.js の v1.2 と同じで、料金は 3,000 円、１，０００円、10:30 開始、U.S. 版は 3.5GHz です。',
    ['Wi-Fi のパスワードは Node.js の v1.2 と同じで、', '料金は 3,000 円、１，０００円、10:30 開始、', 'U.S. 版は 3.5GHz です。'],
  ],
];

describe('SentenceSplitter golden table', () => {
  it.each(GOLDEN)('%s', (_name, input, expected) => {
    expect(show(split(input))).toEqual(expected);
  });

  it.each(GOLDEN)('%s: same segments one character at a time', (_name, input) => {
    expect(show(splitAt(input, invariantCuts(input, [...Array(input.length).keys()])))).toEqual(show(split(input)));
  });

  it('an abbreviation at the end of a streamed token is not a sentence end', () => {
    const s = new SentenceSplitter();
    const deltas = ['The', ' current', ' curator', ' is', ' Dr', '.', ' Em', 'iko', ' Sato', '.'];
    const out = deltas.flatMap((d) => s.push(d));
    expect(out.map((x) => x.text)).toEqual(['The current curator is Dr. Emiko Sato.']);
    expect(s.push(' The answer is no.')).toEqual([]); // "no." may be "No. 5": the next token decides
    expect(s.push(' Ask')).toEqual([{ text: 'The answer is no.', index: 1 }]);
    expect(s.push(' at 9 a.m.')).toEqual([]);
    expect(s.push(' or')).toEqual([]);
    expect(s.push(' 5 p.m. Then')).toEqual([{ text: 'Ask at 9 a.m. or 5 p.m.', index: 2 }]);
    expect(s.push(' 距離は３．')).toEqual([]); // ３．５ or the end?
    expect(s.push('５キロです。')).toEqual([{ text: 'Then 距離は３．５キロです。', index: 3 }]);
  });

  it('numbers segments from 0 and restarts after flush', () => {
    const s = new SentenceSplitter();
    expect([...s.push('One. Two. Thr'), ...s.flush()].map((x) => x.index)).toEqual([0, 1, 2]);
    expect([...s.push('Again.'), ...s.flush()]).toEqual([{ text: 'Again.', index: 0 }]);
  });

  it('releases a sentence at the end of a delta without waiting for the next token', () => {
    const s = new SentenceSplitter();
    expect(s.push('Hello there.')).toEqual([{ text: 'Hello there.', index: 0 }]);
    expect(s.push(' How are you, my good friend, today')).toEqual([]);
    expect(s.push('?')).toEqual([{ text: 'How are you, my good friend, today?', index: 1 }]);
    expect(s.push('!"\n')).toEqual([]);
    expect(s.push('「こんにちは。')).toEqual([{ text: '「こんにちは。', index: 2 }]);
    expect(s.push('」と彼は言った')).toEqual([]);
    expect(s.flush()).toEqual([{ text: 'と彼は言った', index: 3 }]);
  });

  it('waits for the next delta where the left context cannot decide', () => {
    const s = new SentenceSplitter();
    expect(s.push('It is 3.')).toEqual([]); // 3.14 or the end?
    expect(s.push('14 or so')).toEqual([]);
    expect(s.push(', I think, in the U.S.')).toEqual([{ text: 'It is 3.14 or so,', index: 0 }]); // U.S: abbreviation
    expect(s.push(' Mr.')).toEqual([]); // abbreviation: not an end
    expect(s.push(' Smith agrees. See example.')).toEqual([
      { text: 'I think, in the U.S. Mr. Smith agrees.', index: 1 },
      { text: 'See example.', index: 2 }, // "example." ends an ordinary word: released
    ]);
    expect(s.push('com')).toEqual([]);
    expect(s.flush()).toEqual([{ text: 'com', index: 3 }]);
    expect([...s.push('Wait..'), ...s.push('.')]).toEqual([]); // a run of dots may go on
    expect(s.push(' what')).toEqual([{ text: 'Wait...', index: 0 }]);
    expect(s.flush()).toEqual([{ text: 'what', index: 1 }]);
  });

  it('options change the thresholds', () => {
    const opts = { firstSegmentMinChars: 4, softBreakMinChars: 10, maxChars: 20, firstSegmentMaxChars: 10 };
    expect(show(split('Well, yes, that is a very long thing to say without stops here', opts))).toEqual([
      'Well,',
      'yes, that is a very',
      'long thing to say',
      'without stops here',
    ]);
    expect(show(split('[calm] hi [happy] there', { emotions: ['calm'], emotionAliases: {} }))).toEqual(['{calm}hi [happy] there']);
  });

  it('splitSentences is the stage form', async () => {
    async function* deltas(): AsyncIterable<string> {
      for (const d of ['[relaxed]Okay', ', let me think about it', '. Done', '.']) yield d;
    }
    const out: Segment[] = [];
    for await (const seg of splitSentences(deltas())) out.push(seg);
    expect(out).toEqual([
      { text: 'Okay, let me think about it.', index: 0, emotion: 'relaxed' },
      { text: 'Done.', index: 1 },
    ]);
  });

  it('display width counts CJK double', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本語、OK')).toBe(10);
  });
});

const FRAGMENTS = [
  'Hello', 'world', 'the', 'Mr.', 'Dr.', 'e.g.', 'U.S.', '3.14', '1,000', '10:30', '2.', ' ', ' ', ' ', '\n', '\n\n',
  '.', '. ', ',', ', ', '!', '?', '…', '...', ';', ':', '、', '。', '！', '？', '，', '「', '」', '"', ')', '(',
  'こんにちは', '東京', '日本語', 'テスト', '[happy]', '[joy]', '[Sad]', '[note]', '[', ']', '**', '*', '`', '#', '## ',
  '- ', '* ', '• ', '・', '> ', '1. ', '12) ', '😀', 'x', 'あ', 'Qwen3-32B', '１２', '．',
];
const textArb = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((parts) => parts.join(''));
const TAGS = /\[(neutral|happy|sad|angry|surprised|relaxed|joy|fun|sorrow|surprise|calm)\]/gi;
const spoken = (s: string): string => s.replace(/[^\p{L}\p{N}]/gu, '');

/**
 * Delta boundaries where the splitter may decide differently from the unsplit text: right after
 * a run of stops and closers that holds a stop and is followed by something other than
 * whitespace ("word." | "com", 「はい。」 split as "はい。" | "」").
 */
const STOPS = new Set([...'。！？!?…．｡.']);
const CLOSE = new Set([...'」』）)]}】〉》〕"\'”’']);
const afterStopRun = (text: string, c: number): boolean => {
  for (let i = c - 1; i >= 0; i--) {
    if (STOPS.has(text[i]!)) return true;
    if (!CLOSE.has(text[i]!)) return false;
  }
  return false;
};
const invariantCuts = (text: string, cuts: number[]): number[] =>
  cuts.filter((c) => !(c > 0 && c < text.length && afterStopRun(text, c) && !/\s/.test(text[c]!)));

describe('SentenceSplitter properties', () => {
  it('re-chunking the same text at arbitrary points gives identical segments (except "x." | "y" cuts)', () => {
    fc.assert(
      fc.property(textArb, fc.array(fc.nat(), { maxLength: 15 }), (text, rawCuts) => {
        const cuts = invariantCuts(text, rawCuts.map((c) => c % (text.length + 1)));
        expect(splitAt(text, cuts)).toEqual(split(text));
      }),
      { numRuns: 400 },
    );
  });

  it('one character at a time gives identical segments, also with tiny thresholds (except "x." | "y" cuts)', () => {
    const opts = { firstSegmentMinChars: 2, softBreakMinChars: 3, maxChars: 8, firstSegmentMaxChars: 5 };
    fc.assert(
      fc.property(textArb, (text) => {
        expect(splitAt(text, invariantCuts(text, [...Array(text.length).keys()]), opts)).toEqual(split(text, opts));
      }),
      { numRuns: 200 },
    );
  });

  it('a stop at the end of a delta is released with that delta unless its left context is ambiguous', () => {
    fc.assert(
      fc.property(textArb, fc.constantFrom('.', '。', '!', '？', '…'), (prefix, stop) => {
        const text = `${prefix} word${stop}`;
        const s = new SentenceSplitter();
        const out = s.push(text);
        expect(out.at(-1)?.text.endsWith(`word${stop}`)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('no spoken text is lost: letters and digits of the segments equal those of the input minus emotion tags', () => {
    fc.assert(
      fc.property(textArb, fc.array(fc.nat(), { maxLength: 8 }), (text, rawCuts) => {
        const segs = splitAt(text, rawCuts.map((c) => c % (text.length + 1)), { maxChars: 30, firstSegmentMaxChars: 20 });
        expect(spoken(segs.map((s) => s.text).join(''))).toBe(spoken(text.replace(TAGS, '')));
        segs.forEach((s, i) => {
          expect(s.index).toBe(i);
          expect(s.text).toBe(s.text.trim());
          expect(s.text).toMatch(/[\p{L}\p{N}]/u);
          expect(s.text).not.toMatch(/[*`\n]/);
        });
      }),
      { numRuns: 400 },
    );
  });
});
