import { describe, expect, it } from 'vitest';
import {
  OpenJTalkNotInstalledError,
  hasOpenJTalk,
  openJTalkConfigFromEnv,
  parseTraceLabels,
  pieceTextForOpenJTalk,
  synthesizeJapanese,
} from './openjtalk.ts';

const VOWELS = new Set(['a', 'i', 'u', 'e', 'o', 'A', 'I', 'U', 'E', 'O']);

function rms(pcm: Int16Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (pcm[i]! / 32768) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

describe('parseTraceLabels', () => {
  it('reads the phoneme and 100 ns times of the "[Output label]" section only', () => {
    const trace = [
      '[Text analysis result]',
      '猫,名詞,一般,*,*,*,*,猫,ネコ,ネコ,1/2,C3,-1',
      '',
      '[Output label]',
      '0 3100000 xx^xx-sil+n=e/A:xx+xx+xx',
      '3100000 3900000 xx^sil-n+e=k/A:0+1+2',
      '3900000 4500000 sil^n-e+k=o/A:0+1+2',
      '4500000 9000000 e^k-o+sil=xx/A:1+2+1',
      '',
      '[Global parameter]',
      '1 2 x^y-z+w',
    ].join('\n');
    expect(parseTraceLabels(trace)).toEqual([
      { phoneme: 'sil', start: 0, end: 0.31 },
      { phoneme: 'n', start: 0.31, end: 0.39 },
      { phoneme: 'e', start: 0.39, end: 0.45 },
      { phoneme: 'o', start: 0.45, end: 0.9 },
    ]);
    expect(parseTraceLabels('no labels here')).toEqual([]);
  });
});

describe('pieceTextForOpenJTalk', () => {
  it('puts the text on one line and cuts long texts at punctuation within the byte limit', () => {
    expect(pieceTextForOpenJTalk('一行目。\n二行目。')).toEqual(['一行目。 二行目。']);
    const long = '入園料は八百円です。'.repeat(60);
    const pieces = pieceTextForOpenJTalk(long, 300);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(long);
    for (const p of pieces) {
      expect(Buffer.byteLength(p)).toBeLessThanOrEqual(300);
      expect(p.endsWith('。')).toBe(true);
    }
    expect(pieceTextForOpenJTalk('  \n ')).toEqual([]);
  });
});

describe('openJTalkConfigFromEnv', () => {
  it('uses the Debian paths unless the environment names others', () => {
    expect(openJTalkConfigFromEnv({}).voice).toContain('nitech_jp_atr503_m001.htsvoice');
    expect(openJTalkConfigFromEnv({ OPEN_JTALK_BIN: '/opt/ojt/bin/open_jtalk' }).binary).toBe('/opt/ojt/bin/open_jtalk');
  });
});

describe.runIf(hasOpenJTalk())('synthesizeJapanese (real Open JTalk)', () => {
  it('speaks kanji, kana and digits at a natural rate with phoneme timing that matches the audio', async () => {
    const text = '大人の入園料は800円、中学生以下は無料です。';
    const speech = await synthesizeJapanese(text);
    expect(speech.sampleRate).toBe(48_000);
    const seconds = speech.pcm.length / speech.sampleRate;
    // Open JTalk reads this 23-character text in about 5 s; espeak-ng spelled it out in 13.6 s.
    expect(seconds / [...text].length).toBeLessThan(0.3);
    expect(seconds / [...text].length).toBeGreaterThan(0.1);
    const phonemes = speech.labels.map((l) => l.phoneme);
    expect(phonemes[0]).toBe('sil');
    expect(phonemes.at(-1)).toBe('sil');
    // お・と・な (otona) ... は・っ・ぴゃ・く (800 read as happyaku) ... え・ん (N).
    expect(phonemes.slice(1, 6).join(' ')).toBe('o t o n a');
    expect(phonemes.join(' ')).toContain('h a cl py a k u');
    expect(phonemes).toContain('N');
    expect(phonemes).toContain('pau');
    expect(speech.labels.at(-1)!.end).toBeCloseTo(seconds, 1);
    // Vowels carry energy, the leading silence does not.
    const at = (t: number): number => Math.round(t * speech.sampleRate);
    const lead = speech.labels[0]!;
    const vowels = speech.labels.filter((l) => VOWELS.has(l.phoneme) && l.phoneme === l.phoneme.toLowerCase());
    const vowelRms = vowels.map((v) => rms(speech.pcm, at(v.start), at(v.end)));
    expect(rms(speech.pcm, at(lead.start), at(lead.end) - 2400)).toBeLessThan(0.003);
    expect(vowelRms.filter((r) => r > 0.02).length / vowelRms.length).toBeGreaterThan(0.9);
  });

  it('reads Latin words and numbers inside Japanese, and several lines, in one take', async () => {
    const speech = await synthesizeJapanese('Wi-Fi のパスワードは\n3.5 GHz の欄にあります。');
    expect(speech.pcm.length / speech.sampleRate).toBeGreaterThan(2);
    expect(speech.labels.filter((l) => l.phoneme === 'sil')).toHaveLength(2);
  });

  it('is faster with a higher speed and silent for punctuation only', async () => {
    const [normal, fast] = await Promise.all([
      synthesizeJapanese('今日はいい天気ですね。'),
      synthesizeJapanese('今日はいい天気ですね。', { speed: 1.5 }),
    ]);
    expect(fast.pcm.length).toBeLessThan(normal.pcm.length * 0.8);
    const empty = await synthesizeJapanese('。、！');
    expect(empty.pcm.length).toBe(0);
    expect(empty.labels).toEqual([]);
  });

  it('joins the pieces of a long text with continuous timing', async () => {
    const text = '年間パスポートは三千円で、一年間何度でも入園できます。'.repeat(14);
    expect(Buffer.byteLength(text)).toBeGreaterThan(1024);
    const speech = await synthesizeJapanese(text);
    const starts = speech.labels.map((l) => l.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(speech.labels.at(-1)!.end).toBeCloseTo(speech.pcm.length / speech.sampleRate, 1);
    expect(speech.labels.filter((l) => l.phoneme === 'N').length).toBeGreaterThanOrEqual(14 * 3);
  });

  it('stops the child when the signal aborts', async () => {
    const ac = new AbortController();
    const run = synthesizeJapanese('吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。'.repeat(4), { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('barge-in')), 20);
    await expect(run).rejects.toThrow(/barge-in|abort/i);
  });
});

describe('synthesizeJapanese without Open JTalk', () => {
  it('says what to install', async () => {
    const config = { binary: 'open_jtalk', dictionary: '/nonexistent/dic', voice: '/nonexistent/voice.htsvoice' };
    await expect(synthesizeJapanese('こんにちは', { config })).rejects.toBeInstanceOf(OpenJTalkNotInstalledError);
    await expect(synthesizeJapanese('こんにちは', { config })).rejects.toThrow(/open-jtalk-mecab-naist-jdic/);
    const noBinary = { ...openJTalkConfigFromEnv({}), binary: '/nonexistent/open_jtalk' };
    await expect(synthesizeJapanese('こんにちは', { config: noBinary })).rejects.toThrow(/not installed \(no binary/);
  });
});
