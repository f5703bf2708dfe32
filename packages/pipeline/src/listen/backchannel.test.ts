import { describe, expect, it } from 'vitest';
import { decideBargeIn, normalizeUtterance } from './backchannel.ts';

const ended = (transcript: string | null, speechMs = 400) => decideBargeIn({ speechMs, ended: true, transcript });
const going = (transcript: string | null, speechMs = 300) => decideBargeIn({ speechMs, ended: false, transcript });

describe('decideBargeIn', () => {
  it.each(['うん', 'うんうん', 'はい', 'へえ', 'へー', 'なるほど', 'そうですね', 'そうなんだ', 'ええ'])('ja backchannel %s lets the avatar go on', (t) => {
    expect(ended(t)).toBe('backchannel');
  });
  it.each(['yeah', 'uh huh', 'Uh-huh.', 'right', 'okay', 'mm hmm', 'Mm-hm', 'I see', 'sure'])('en backchannel %s lets the avatar go on', (t) => {
    expect(ended(t)).toBe('backchannel');
  });
  it.each(['うんうん、なるほど', 'へえ、すごいですね', 'はいはい', 'うん、そうだね', 'なるほど、わかります', 'ああ、そうなんですか', 'Oh, I see.', 'Okay, got it.', 'Yeah, yeah, right.', 'Oh wow, interesting.', 'Mm-hm, makes sense.'])(
    'several backchannels in a row (%s) let the avatar go on',
    (t) => {
      expect(going(t)).toBe('wait');
      expect(ended(t, 700)).toBe('backchannel');
    },
  );
  it.each(['うん、でも違います', 'へえ、それで駐車場は', 'ねえ', 'はい、質問です', 'Okay, but what about parking', 'Oh, wait.', 'Right, so how much is it'])(
    'a backchannel followed by more (%s) interrupts',
    (t) => {
      expect(ended(t, 700)).toBe('interrupt');
    },
  );
  it.each(['ちょっと待って', '違います', 'いいえ、違います', '入園料はいくらですか', 'それより駐車場のことを聞きたいです', 'ストップ'])(
    'ja %s interrupts, even before it ends',
    (t) => {
      expect(going(t)).toBe('interrupt');
      expect(ended(t)).toBe('interrupt');
    },
  );
  it.each(['wait', 'stop', 'no', 'wait a second', 'stop please', 'what about the parking lot instead'])('en %s interrupts', (t) => {
    expect(going(t)).toBe('interrupt');
  });
  it.each(['Hang on.', 'Never mind.', 'Nope.', 'One moment.', 'Pause.', 'Cancel that.', 'Hey.', 'Listen.', 'Quiet, please.', 'Question.'])(
    'en %s (one or two words, short) interrupts: a stop word, not a misheard mm-hm',
    (t) => {
      expect(ended(t, 400)).toBe('interrupt');
      expect(going(t, 320)).toBe('interrupt');
    },
  );
  it('waits while a backchannel may still be coming (a prefix of one), or while no words are known', () => {
    expect(going('な')).toBe('wait'); // なるほど
    expect(going('は')).toBe('wait'); // はい
    expect(going('yeah')).toBe('wait'); // "yeah, but ..." could follow
    expect(going(null)).toBe('wait');
    expect(ended(null)).toBe('wait'); // the transcript is on its way
  });
  it('a burst that ended on the start of a backchannel (は, な, そう) is a clipped backchannel when short, an interruption when long', () => {
    expect(ended('は', 300)).toBe('backchannel');
    expect(ended('なる', 500)).toBe('backchannel');
    expect(ended('そう', 800)).toBe('interrupt');
  });
  it('いい, the start of いいえ, is not waited on as the start of a backchannel', () => {
    expect(going('いい')).toBe('interrupt');
    expect(ended('いい', 300)).toBe('interrupt');
  });
  it('several backchannels in a row may last longer than one (okay, got it: 1.2 s); one backchannel heard over 1.2 s of speech may not', () => {
    expect(decideBargeIn({ speechMs: 1000, ended: false, transcript: 'okay, got' })).toBe('wait');
    expect(decideBargeIn({ speechMs: 1200, ended: true, transcript: 'Okay, got it.' })).toBe('backchannel');
    expect(decideBargeIn({ speechMs: 1200, ended: true, transcript: 'うんうん、なるほどね' })).toBe('backchannel');
    expect(decideBargeIn({ speechMs: 1700, ended: false, transcript: 'okay, got it, yeah' })).toBe('interrupt');
    expect(decideBargeIn({ speechMs: 1200, ended: false, transcript: 'okay' })).toBe('interrupt');
  });
  it('one backchannel heard, more speech after it not yet transcribed: the words are waited for, within a run\'s length', () => {
    expect(decideBargeIn({ speechMs: 950, ended: false, transcript: 'okay,', heardSpeechMs: 600 })).toBe('wait');
    expect(decideBargeIn({ speechMs: 950, ended: false, transcript: 'okay,', heardSpeechMs: 950 })).toBe('interrupt');
    expect(decideBargeIn({ speechMs: 1700, ended: false, transcript: 'okay,', heardSpeechMs: 600 })).toBe('interrupt');
    expect(decideBargeIn({ speechMs: 950, ended: false, transcript: 'okay, so what', heardSpeechMs: 800 })).toBe('interrupt');
  });
  it('a sound the recogniser wrote as no voice (a cough, [BLANK_AUDIO]) is noise, however long; words heard after it are judged', () => {
    expect(decideBargeIn({ speechMs: 1500, ended: false, transcript: '', nonSpeech: true, heardSpeechMs: 1200 })).toBe('wait');
    expect(decideBargeIn({ speechMs: 1500, ended: true, transcript: '', nonSpeech: true })).toBe('noise');
    expect(decideBargeIn({ speechMs: 300, ended: true, transcript: '', nonSpeech: true })).toBe('noise');
    // far more sound since that transcript than a backchannel lasts: judged by length again
    expect(decideBargeIn({ speechMs: 2500, ended: false, transcript: '', nonSpeech: true, heardSpeechMs: 1000 })).toBe('interrupt');
    // the same silence without the recogniser's word for it: a short one is a clipped backchannel, a long one interrupts
    expect(decideBargeIn({ speechMs: 1500, ended: true, transcript: '' })).toBe('interrupt');
  });
  it('kana written either way is the same word (a recogniser may write ウン, ｳﾝ, ハイハイ, ナルホド, エート)', () => {
    for (const t of ['ウン', 'ｳﾝ', 'ハイ、ハイ', 'ナルホド', 'ヘー', 'ソウデスネ', 'ん', 'んー', '嗯']) expect(ended(t), t).toBe('backchannel');
    for (const t of ['チョット待って', 'すとっぷ', 'ストップ', 'イイエ']) expect(ended(t), t).toBe('interrupt');
  });
  it('everyday acknowledgements let the avatar go on; with more words after them they do not', () => {
    for (const t of ['わかりました。', '了解です', 'オッケー', 'ありがとう', 'ほんとだ', 'マジで？', "That's right.", 'Gotcha.', 'Totally.', 'Oh, that\'s interesting.', 'Thank you.'])
      expect(ended(t, 600), t).toBe('backchannel');
    for (const t of ['わかりました、でも駐車場は？', 'ほんとうに無料ですか', "That's right, but what about Sunday?", 'Good morning, can I ask something'])
      expect(ended(t, 600), t).toBe('interrupt');
  });
  it('ううん is "no", not うん: it stops the avatar', () => {
    expect(ended('ううん')).toBe('interrupt');
    expect(going('ううん、違う', 400)).toBe('interrupt');
    expect(ended('うーん', 500)).toBe('backchannel');
  });
  it('long speech is never a backchannel', () => {
    expect(decideBargeIn({ speechMs: 1200, ended: false, transcript: 'うん' })).toBe('interrupt');
    expect(decideBargeIn({ speechMs: 1200, ended: false, transcript: null })).toBe('interrupt');
  });
  it('a short burst with no words (a laugh, a breath) is a backchannel; a longer one interrupts', () => {
    expect(ended('', 300)).toBe('backchannel');
    expect(ended('', 800)).toBe('interrupt');
  });
});

describe('decideBargeIn with an imperfect recogniser', () => {
  it('does not act on the words of the first 300 ms while the speech goes on', () => {
    expect(decideBargeIn({ speechMs: 150, ended: false, transcript: 'The.' })).toBe('wait');
    expect(decideBargeIn({ speechMs: 150, ended: false, transcript: 'wait' })).toBe('wait');
    expect(decideBargeIn({ speechMs: 320, ended: false, transcript: 'wait' })).toBe('interrupt');
  });
  it('a quick English burst heard as one or two odd words is taken for a backchannel; Japanese words are trusted', () => {
    expect(ended('You.', 400)).toBe('backchannel');
    expect(ended('Where luke.', 500)).toBe('backchannel');
    expect(ended('what about the parking', 600)).toBe('interrupt');
    expect(ended('駐車場', 400)).toBe('interrupt');
  });
  it('one or two odd words over more syllables than a backchannel has (heard in the audio) are speech, going on or ended', () => {
    expect(decideBargeIn({ speechMs: 420, ended: false, transcript: 'What a.', syllables: 3 })).toBe('wait');
    expect(decideBargeIn({ speechMs: 420, ended: false, transcript: 'What a.', syllables: 4 })).toBe('interrupt');
    expect(decideBargeIn({ speechMs: 500, ended: true, transcript: 'Where luke.', syllables: 3 })).toBe('backchannel');
    expect(decideBargeIn({ speechMs: 500, ended: true, transcript: 'Where luke.', syllables: 5 })).toBe('interrupt');
    // words that are a backchannel, or Japanese words, are judged by the words
    expect(decideBargeIn({ speechMs: 600, ended: true, transcript: 'yeah yeah', syllables: 4 })).toBe('backchannel');
    expect(decideBargeIn({ speechMs: 560, ended: true, transcript: 'なるほどね', syllables: 4 })).toBe('backchannel');
  });
});

describe('normalizeUtterance', () => {
  it('drops spaces, punctuation and case; keeps long vowels as one ー', () => {
    expect(normalizeUtterance('Uh-huh.')).toBe('uhhuh');
    expect(normalizeUtterance('へー。')).toBe('へー');
    expect(normalizeUtterance('へーーー')).toBe('へー');
    expect(normalizeUtterance('そうですね！')).toBe('そうですね');
  });
});
