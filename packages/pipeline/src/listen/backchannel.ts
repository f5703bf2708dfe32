import { foldKana } from '../text/kana.ts';

/**
 * Speech while the avatar answers: a backchannel (うん, はい, yeah) lets it go on; a sound the
 * recogniser says is no voice (a cough, [BLANK_AUDIO]) is `noise` and lets it go on too; anything
 * else interrupts it. Pure: the listener asks again whenever the speech grows, ends, or a
 * transcript of it arrives, until the answer is not 'wait'.
 */
export type BargeInDecision = 'wait' | 'backchannel' | 'interrupt' | 'noise';

export interface BargeInOptions {
  /** Speech longer than this is never a backchannel (ms). */
  maxBackchannelMs: number;
  /**
   * A short burst that ended counts as a backchannel below this (ms) unless its words say
   * otherwise (a stop word, or more words than a backchannel has): recognisers often mishear a
   * quick うん or mm-hm, and a wrong stop costs more than a missed one.
   */
  shortBurstMs: number;
  /** A transcript of less speech than this is not trusted while the speech goes on (ms). */
  minWordsSpeechMs: number;
  /**
   * Syllables (loudness peaks, syllables.ts) a short English burst whose one or two words may be a
   * misheard backchannel can have: yeah, uh-huh, mm-hm, okay have one to three. More is speech.
   */
  maxBackchannelSyllables: number;
  /** Speech whose words so far are several backchannels in a row ("okay, got it") may last this long (ms). */
  maxBackchannelRunMs: number;
}

export const defaultBargeInOptions: BargeInOptions = { maxBackchannelMs: 900, shortBurstMs: 700, minWordsSpeechMs: 300, maxBackchannelSyllables: 3, maxBackchannelRunMs: 1600 };

/** Acknowledgements and reactions that do not take the turn (normalised: no spaces or punctuation, lower case). */
const BACKCHANNELS = [
  'うん', 'うんうん', 'ん', 'んん', '嗯', 'はい', 'はいはい', 'はーい', 'ええ', 'へえ', 'へー', 'へぇ', 'ほう', 'ほー', 'なるほど', 'なるほどね', 'そうですね',
  'そうですか', 'そうなんだ', 'そうなんですね', 'そうか', 'そっか', 'そうそう', 'たしかに', '確かに', 'ふーん', 'ふむ', 'うーん', 'あー', 'ああ', 'おお', 'すごい',
  'yeah', 'yes', 'yep', 'yup', 'uhhuh', 'uhuh', 'mmhmm', 'mhm', 'mmhm', 'hmm', 'mm', 'right', 'okay', 'ok', 'sure', 'isee', 'wow', 'cool',
  'great', 'nice', 'gotit', 'really', 'oh', 'ah', 'aha', 'alright', 'allright', 'yes', 'yeahyeah', 'mhmm', 'uhhum',
  // reactions that come in a row with the ones above (へえ、すごいですね; "oh, I see"; "okay, makes sense");
  // not いいね / いいですね: their いい is how いいえ (a stop word) starts, and it would wait for more words
  'すごいですね', 'そうなんですか', 'そうだね', 'そうだよね', 'ですよね', 'だよね', 'ほんとに', '本当に', 'わかります', 'わかる', 'すごいね',
  'makessense', 'thatmakessense', 'interesting', 'ofcourse', 'exactly', 'perfect', 'awesome', 'thanks',
  // everyday acknowledgements that let the speaker go on (わかりました, 了解; "that's right", "gotcha")
  'わかりました', 'わかった', '了解', 'りょうかい', 'おっけー', 'ありがとう', 'ありがとうございます', 'ほんと', 'ほんとだ', 'まじ', 'まじで', 'そうだったんだ',
  'thatsright', 'thatstrue', 'true', 'good', 'totally', 'definitely', 'absolutely', 'thatsgreat', 'thatscool', 'thatsinteresting',
  'gotcha', 'igotit', 'thankyou', 'wonderful',
];
/** Words that always mean "stop": they interrupt even when short. */
const STOP_WORDS = ['待って', 'まって', 'ちょっと', 'ストップ', '止めて', 'とめて', 'やめて', '違う', 'ちがう', '違います', 'いや', 'いいえ', 'ううん', 'wait', 'stop', 'no', 'hold', 'sorry', 'excuse', 'actually', 'but',
  // short English ways to take the turn that the "one or two odd words" rule would otherwise let go on
  'nope', 'hang', 'never', 'pause', 'cancel', 'quiet', 'enough', 'question', 'moment', 'hey', 'listen', 'shut'];

/** Lower case, kana folded to hiragana (ウン = うん), without spaces or punctuation; long-vowel marks as one ー. */
export function normalizeUtterance(text: string): string {
  return withoutMarks(foldedLower(text));
}

function foldedLower(text: string): string {
  return foldKana(text).toLowerCase();
}

/** Folded text without spaces or punctuation, long-vowel marks as one ー. */
function withoutMarks(folded: string): string {
  return folded.replace(/[\s\p{P}\p{S}ー〜~]+/gu, (m) => (/[ー〜~]/u.test(m) ? 'ー' : '')).replace(/ー+/g, 'ー');
}

/** The lexicon without long-vowel marks (へー = へえ = へ), longest first. */
const TOKENS = [...new Set(BACKCHANNELS.map((b) => b.replace(/ー/g, '')))].sort((a, b) => b.length - a.length);

interface BackchannelMatch {
  full: boolean;
  prefix: boolean;
  /** More than one entry so far ("okay, got", うんうん、なる): a run, which may last longer. */
  run: boolean;
}

/**
 * Whether the words are backchannels, one or several in a row (うんうん、なるほど; へえ、すごいですね;
 * "okay, got it"): `full` when they split wholly into lexicon entries, `prefix` when what is left
 * after the last whole entry may still become one (は of はい).
 */
function matchesBackchannel(norm: string): BackchannelMatch {
  const plain = norm.replace(/ー/g, '');
  const memo = new Map<number, { full: boolean; prefix: boolean }>();
  const from = (i: number): { full: boolean; prefix: boolean } => {
    if (i === plain.length) return { full: true, prefix: true };
    const known = memo.get(i);
    if (known) return known;
    const rest = plain.slice(i);
    let out = { full: false, prefix: TOKENS.some((t) => t.startsWith(rest)) };
    for (const t of TOKENS) {
      if (!rest.startsWith(t)) continue;
      const next = from(i + t.length);
      out = { full: out.full || next.full, prefix: out.prefix || next.prefix };
      if (out.full) break;
    }
    memo.set(i, out);
    return out;
  };
  if (!plain) return { full: false, prefix: false, run: false };
  const run = TOKENS.some((t) => t.length < plain.length && plain.startsWith(t) && (from(t.length).full || from(t.length).prefix));
  return { ...from(0), run };
}

const FOLDED_STOP_WORDS = STOP_WORDS.map(foldedLower);
/** English stop words as whole words; the others anywhere in the text. */
const ENGLISH_STOP = new RegExp(`\\b(?:${FOLDED_STOP_WORDS.filter((w) => /^[a-z]+$/.test(w)).join('|')})\\b`);
const OTHER_STOP = FOLDED_STOP_WORDS.filter((w) => !/^[a-z]+$/.test(w));

/** `folded`: the text kana-folded and lower case (foldedLower). */
function hasStopWord(folded: string): boolean {
  return ENGLISH_STOP.test(folded) || OTHER_STOP.some((w) => folded.includes(w));
}

export interface BargeInState {
  /** Speech heard so far in this burst (ms). */
  speechMs: number;
  /** The burst has ended (the VAD heard silence after it). */
  ended: boolean;
  /** The latest transcript of the burst, or null while none has arrived. */
  transcript: string | null;
  /** Syllable nuclei heard in the burst so far (from its loudness), when known. */
  syllables?: number;
  /** The part of `speechMs` the transcript covers (its words lag the audio), when known. */
  heardSpeechMs?: number;
  /** The latest transcript was non-speech marks only (listen/non-speech.ts): a sound, not a voice. */
  nonSpeech?: boolean;
}

export function decideBargeIn(s: BargeInState, opts: BargeInOptions = defaultBargeInOptions): BargeInDecision {
  const trusted = s.ended || s.speechMs >= opts.minWordsSpeechMs;
  const text = trusted ? (s.transcript?.trim() ?? '') : '';
  const folded = foldedLower(text);
  if (text && hasStopWord(folded)) return 'interrupt';
  // the recogniser heard a sound, not a voice (a cough, a knock, music): no interruption, however
  // long, unless much more has been heard since that transcript than a backchannel lasts
  if (s.nonSpeech && !s.transcript?.trim()) {
    if (s.ended) return 'noise';
    if (s.speechMs - (s.heardSpeechMs ?? s.speechMs) <= opts.maxBackchannelMs) return 'wait';
  }
  const m = text ? matchesBackchannel(withoutMarks(folded)) : null;
  if (s.speechMs > (m?.run ? opts.maxBackchannelRunMs : opts.maxBackchannelMs)) {
    // "okay," heard, "got it" still on its way: a run may be coming; the words will tell (within a run's length)
    const wordsLag = m && (m.full || m.prefix) && (s.heardSpeechMs ?? s.speechMs) <= opts.maxBackchannelMs && s.speechMs <= opts.maxBackchannelRunMs;
    if (!wordsLag) return 'interrupt';
    return 'wait';
  }
  if (m) {
    if (m.full) return s.ended ? 'backchannel' : 'wait';
    // "は" of はい: the rest of the words will tell; once it ended, a clipped backchannel if short
    if (m.prefix) return s.ended ? (s.speechMs <= (m.run ? opts.maxBackchannelRunMs : opts.shortBurstMs) ? 'backchannel' : 'interrupt') : 'wait';
    // a quick English burst the recogniser turned into a word or two: most likely mm-hm, not a
    // question, unless it already has more syllables than a backchannel has
    const fewSyllables = (s.syllables ?? 0) <= opts.maxBackchannelSyllables;
    const misheard = !isJapanese(text) && s.speechMs <= opts.shortBurstMs && wordCount(text) <= 2 && fewSyllables;
    if (misheard) return s.ended ? 'backchannel' : 'wait';
    return 'interrupt';
  }
  if (s.ended && s.transcript !== null) return s.speechMs <= opts.shortBurstMs ? 'backchannel' : 'interrupt';
  return 'wait';
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
}

function isJapanese(text: string): boolean {
  return /[\u3040-\u30ff\u3400-\u9fff]/u.test(text);
}
