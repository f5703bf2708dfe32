/**
 * Japanese end-of-utterance words: the longest known ending decides between a sentence-final form
 * (です/ますか/ね/よ, greetings, requests like 教えて) and a conjunctive or topic particle that
 * announces more (て/けど/が/から/は, fillers).
 */
import type { UtteranceEnd } from './turn-end.ts';

/** Japanese endings after which a speaker has more to say (conjunctive particles, fillers, topic markers). */
const CONTINUE = [
  'て', 'で', 'けど', 'けれど', 'けれども', 'が', 'から', 'ので', 'のに', 'し', 'たり', 'だり', 'とか', 'って', 'ながら', 'ば', 'たら', 'なら',
  'えーと', 'えっと', 'あの', 'あのー', 'その', 'えー', 'うーん', 'まあ', 'は', 'を', 'に', 'へ', 'と', 'の', 'も', 'や', 'より', 'について', 'それから', 'あと', 'でも', 'それで',
];
/** Japanese sentence-final forms: polite/plain predicates, final particles, greetings and answers, requests. */
const COMPLETE = [
  'です', 'ます', 'でした', 'ました', 'ません', 'ください', 'ですか', 'ますか', 'か', 'ね', 'よ', 'よね', 'な', 'だ', 'た', 'ない', 'たい',
  'うん', 'はい', 'ええ', 'そう', 'なるほど', 'かな', 'でしょう', 'でしょうか', 'ましょう', 'ませんか', 'ほしい', 'ちょうだい', 'ありがとう', 'ありがとうございます', 'すみません', 'お願いします',
  'っけ', 'かしら', 'じゃん', 'くれる', 'もらえる',
  'こんにちは', 'こんばんは', 'おはよう', 'さようなら', 'いいえ', '大丈夫', '了解', 'おやすみ', 'おやすみなさい', 'もしもし', 'お疲れ様', 'どうも', 'よろしく', 'ごめん', 'ごめんなさい',
  // a て-form request said to the avatar ("営業時間を教えて"); 止めて/やめて are left out: "車を止めて" goes on
  '教えて', '見せて', '聞かせて', '手伝って', '説明して', '調べて', '探して', '助けて', '待って',
];
/**
 * A plain verb or adjective before a final の: "何時に閉まるの", "どうしたの" ask a question. As a
 * nominaliser (閉まるのは) the particle follows with no pause; a noun's の ("駐車場の…") goes on.
 */
const PREDICATE_BEFORE_NO = /[るうくすつぬむぶぐたいだな]の$/u;

/** Whether Japanese words so far finish a sentence, announce more, or say neither. */
export function classifyJapanese(text: string, hasQuestionMark: boolean): UtteranceEnd {
  if (hasQuestionMark) return 'complete';
  const longest = (list: string[]) => list.filter((e) => text.endsWith(e)).reduce((a, b) => (b.length > a.length ? b : a), '');
  const complete = longest(COMPLETE);
  const more = longest(CONTINUE);
  if (more === 'の' && PREDICATE_BEFORE_NO.test(text)) return 'complete';
  if (more.length > complete.length) return 'continue';
  if (complete) return 'complete';
  return 'neutral';
}
