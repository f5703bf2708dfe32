import { describe, expect, it } from 'vitest';
import { hasJapaneseSpeechFixtures } from '@va/testkit';
import { scriptRuns, synthesizeSpeech } from './speech.ts';

/** Share of 20 ms frames louder than -40 dBFS. */
function voicedShare(pcm: Int16Array, rate: number): number {
  const win = Math.round(rate / 50);
  let voiced = 0;
  let frames = 0;
  for (let i = 0; i + win <= pcm.length; i += win, frames++) {
    let sum = 0;
    for (let j = i; j < i + win; j++) sum += (pcm[j]! / 32768) ** 2;
    if (Math.sqrt(sum / win) > 0.01) voiced++;
  }
  return voiced / Math.max(1, frames);
}

describe('scriptRuns', () => {
  it.each([
    ['大人の入園料は 800 円、中学生以下は無料です。', [['ja', '大人の入園料は 800 円、中学生以下は無料です。']]],
    ['Tickets cost 800 yen.', [['en', 'Tickets cost 800 yen.']]],
    ['RAG を使うと、Dr. Smith の資料から 3.5 時間で答えます。', [['en', 'RAG '], ['ja', 'を使うと、'], ['en', 'Dr. Smith '], ['ja', 'の資料から 3.5 時間で答えます。']]],
    ['It costs 800円です', [['en', 'It costs '], ['ja', '800円です']]],
    ['「年間パスポート」は３，０００円です', [['ja', '「年間パスポート」は３，０００円です']]],
    ['…', []],
  ])('%s', (text, runs) => {
    expect(scriptRuns(text).map((r) => [r.lang, r.text])).toEqual(runs);
    expect(scriptRuns(text).map((r) => r.text).join('')).toBe(text === '…' ? '' : text);
  });
});

describe.runIf(hasJapaneseSpeechFixtures())('synthesizeSpeech (Open JTalk for Japanese, espeak-ng for English)', () => {
  it('speaks Japanese with Open JTalk at a natural rate (at most 0.3 s per character)', async () => {
    const text = '大人の入園料は 800 円、中学生以下は無料です。';
    const s = await synthesizeSpeech(text, { sampleRate: 44_100 });
    expect(s.engines).toEqual(['open_jtalk']);
    const secondsPerChar = s.pcm.length / 44_100 / [...text].length;
    console.log(`Japanese TTS: ${(s.pcm.length / 44_100).toFixed(2)} s for ${[...text].length} characters = ${secondsPerChar.toFixed(3)} s/char`);
    expect(secondsPerChar).toBeGreaterThan(0.1);
    expect(secondsPerChar).toBeLessThanOrEqual(0.3);
    expect(voicedShare(s.pcm, 44_100)).toBeGreaterThan(0.5);
  });

  it('keeps English on espeak-ng and speaks a mixed text run by run', async () => {
    const en = await synthesizeSpeech('The garden opens at nine in the morning.', { sampleRate: 24_000 });
    expect(en.engines).toEqual(['espeak-ng']);
    expect(en.pcm.length / 24_000).toBeGreaterThan(1.2);
    const mixed = await synthesizeSpeech('RAG を使うと、資料から答えます。', { sampleRate: 24_000 });
    expect(mixed.engines).toEqual(['espeak-ng', 'open_jtalk']);
    expect(voicedShare(mixed.pcm, 24_000)).toBeGreaterThan(0.4);
  });
});
