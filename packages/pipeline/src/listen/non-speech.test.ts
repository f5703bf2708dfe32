import { describe, expect, it } from 'vitest';
import { spokenWords } from './non-speech.ts';

describe('spokenWords: what Whisper writes for sounds is not what the user said', () => {
  it.each([
    ['[BLANK_AUDIO]'],
    [' [BLANK_AUDIO]\n'],
    ['[Music]'],
    ['(coughing)'],
    ['(咳)'],
    ['（拍手）'],
    ['【音楽】'],
    ['[音楽]'],
    ['*sigh*'],
    ['♪♪'],
    ['[Music] ♪ ... ♪'],
    ['ご視聴ありがとうございました'],
    ['ご視聴ありがとうございました。'],
    ['チャンネル登録お願いします！'],
    ['Thanks for watching!'],
    ['Thank you for watching.'],
    ['ご視聴ありがとうございました。ご視聴ありがとうございました。ご視聴ありがとうございました。'],
    ['Thanks for watching! Thanks for watching! Thanks for watching!'],
  ])('%j is a sound, not speech', (raw) => {
    expect(spokenWords(raw)).toEqual({ text: '', nonSpeech: true });
  });

  it.each([
    ['駐車場は何時まで開いていますか？', '駐車場は何時まで開いていますか？'],
    ['(咳) すみません、駐車場はどこですか', 'すみません、駐車場はどこですか'],
    ['ちょっと待って（笑）', 'ちょっと待って'],
    ['[BLANK_AUDIO] Wait, stop.', 'Wait, stop.'],
    ['Hello, (laughs) how are you?', 'Hello, how are you?'],
    ['Thank you.', 'Thank you.'],
    ['you', 'you'],
    ['Thanks for watching the show yesterday, was it good?', 'Thanks for watching the show yesterday, was it good?'],
    ['ご視聴ありがとうございましたって言うのは変ですか', 'ご視聴ありがとうございましたって言うのは変ですか'],
    ['What is 5 * 3 * 2?', 'What is 5 * 3 * 2?'],
    ['...and 3.5 hours?', '...and 3.5 hours?'],
    ['？はい、3.5時間です', '？はい、3.5時間です'],
    // a decoding loop (the same sentence three or more times in a row) is kept once; twice is speech
    ['Thank you. Thank you. Thank you. Thank you.', 'Thank you.'],
    ['ありがとうございました。ありがとうございました。ありがとうございました。', 'ありがとうございました。'],
    ['駐車場はどこですか。どこですか。どこですか。どこですか。', '駐車場はどこですか。'],
    ['ありがとうございましたありがとうございましたありがとうございました', 'ありがとうございました'],
    ['はい、はい', 'はい、はい'],
    ['うんうんうん', 'うんうんうん'],
    ['Yes. Yes.', 'Yes. Yes.'],
    ['What time does it open? What time does it close?', 'What time does it open? What time does it close?'],
  ])('%j is heard as the words %j', (raw, text) => {
    expect(spokenWords(raw)).toEqual({ text, nonSpeech: false });
  });

  it('an empty transcript is no words, and no sign of a sound either', () => {
    expect(spokenWords('')).toEqual({ text: '', nonSpeech: false });
    expect(spokenWords('  \n')).toEqual({ text: '', nonSpeech: false });
  });
});
