/**
 * What a Whisper-family recogniser writes when it hears no speech. whisper.cpp marks silence and
 * noise as `[BLANK_AUDIO]`, and sounds as annotations: `[Music]`, `(coughing)`, `(拍手)`, `【音楽】`,
 * `*sigh*`, `♪`; on a quiet or noisy stretch it also repeats the end credits of the videos it was
 * trained on ("Thanks for watching!", ご視聴ありがとうございました). None of that was said by the
 * user: it is no question to answer, and a cough over the avatar is no interruption.
 */

import { normalizeUtterance } from './backchannel.ts';

/** Bracketed or starred annotations and music marks (never words a user said). */
const ANNOTATION = /\[[^\]]*\]|［[^］]*］|\([^)]*\)|（[^）]*）|【[^】]*】|\*[^\s*][^*\n]*?\*|[♪♫♬]+/gu;

/**
 * Video end credits Whisper produces from silence and noise, compared normalised (normalizeUtterance:
 * lower case, kana folded, no spaces or punctuation). Dropped only when they are the whole
 * transcript: inside a sentence they are words.
 */
const CREDITS = new Set(
  [
    'thanksforwatching',
    'thankyouforwatching',
    'thanksforwatchingandseeyounexttime',
    'pleasesubscribe',
    'pleaselikeandsubscribe',
    'subtitlesbytheamaraorgcommunity',
    'subtitlesbytheamaraorgcommunitytranscriptionbycastingwords',
    'ご視聴ありがとうございました',
    'ご視聴ありがとうございます',
    '最後までご視聴いただきありがとうございました',
    '最後までご視聴ありがとうございました',
    'チャンネル登録お願いします',
    'チャンネル登録よろしくお願いします',
    'チャンネル登録をお願いします',
    'ご視聴ありがとうございましたチャンネル登録お願いします',
  ].map(normalizeUtterance),
);

export interface HeardText {
  /** The words said, without non-speech marks ('' when there are none). */
  text: string;
  /** The recogniser wrote something, and all of it was non-speech: it heard a sound, not a voice. */
  nonSpeech: boolean;
}

/** The spoken words of a transcript, and whether it was nothing but non-speech marks. */
export function spokenWords(raw: string): HeardText {
  const trimmed = raw.trim();
  if (!trimmed) return { text: '', nonSpeech: false };
  const text = collapseLoops(trimmed.replace(ANNOTATION, ' ').replace(/\s+/gu, ' ').trim());
  const words = normalizeUtterance(text);
  // what is left is only punctuation ("[Music] ..."), or Whisper's end credits on their own
  if (!words || CREDITS.has(words)) return { text: '', nonSpeech: true };
  return { text: tidy(text), nonSpeech: false };
}

/** Sentences repeated this many times in a row are a decoding loop, not speech. */
const LOOP_REPEATS = 3;

/**
 * Whisper's decoding loop: on a long or noisy stretch it writes the same sentence again and again
 * ("Thank you. Thank you. Thank you. ...", ありがとうございました。ありがとうございました。...). Three or more
 * in a row are kept once; twice is left alone (people do say "はい、はい").
 */
function collapseLoops(text: string): string {
  // the same phrase of 4+ characters three or more times with nothing between
  const unbroken = text.replace(/(\S{4,}?)\1{2,}/gu, '$1');
  // every character in some piece: a sentence with its stops, or the unfinished rest
  const sentences = unbroken.match(/[^。！？.!?]*[。！？.!?]+|[^。！？.!?]+$/gu) ?? [unbroken];
  const out: string[] = [];
  for (let i = 0; i < sentences.length;) {
    const key = normalizeUtterance(sentences[i]!);
    let j = i + 1;
    while (j < sentences.length && normalizeUtterance(sentences[j]!) === key) j++;
    const run = j - i;
    for (let k = 0; k < (run >= LOOP_REPEATS ? 1 : run); k++) out.push(sentences[i + k]!);
    i = j;
  }
  return out.join('').trim();
}

/** Punctuation and spaces left where an annotation was cut out ("Hello , (laughs) world" -> "Hello, world"). */
function tidy(text: string): string {
  return text
    .replace(/\s+([,.!?、。！？])/gu, '$1')
    .replace(/^[,、]\s*/u, '')
    .replace(/([,、])\s*([,、])/gu, '$1')
    .trim();
}
