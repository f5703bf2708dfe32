import type { Lang } from './clips.ts';

/**
 * a. pause: one utterance with a 300-1000 ms pause at a clause boundary (must stay one turn)
 * b. complete: a complete utterance (must end as early as possible)
 * c. backchannel: うん / yeah, or a few in a row (うんうん、なるほど / oh, I see), while the avatar speaks (must not interrupt)
 * d. interrupt: ちょっと待って / wait, a new question, or a backchannel then more (うん、でも…), while the avatar speaks (must interrupt)
 * e. echo: the avatar's own voice returned into the mic, -20 dB, 30-80 ms late (must not interrupt)
 * f. afterthought: a complete question, a 400-600 ms pause, then more ("それと…", "and …"): the end
 *    of turn rightly came after the question; going on before the answer is heard must still give
 *    one question and one answer (session/continuation.ts). Not part of a/b's false-end rate.
 * g. thinking: a filler alone (えーと / um), 2.5 or 4 s of silence, then the question: the filler is
 *    not a question (listen/fillers.ts); answering it splits the turn. Scored apart, like f.
 */
export type Kind = 'pause' | 'complete' | 'backchannel' | 'interrupt' | 'echo' | 'afterthought' | 'thinking';
/** Kinds whose user speech is a whole question (a, b, f, g): scored by how it was split and when it ended. */
export const UTTERANCE_KINDS: readonly Kind[] = ['pause', 'complete', 'afterthought', 'thinking'];

export interface Scenario {
  id: string;
  lang: Lang;
  kind: Kind;
  /** What the user says first: text parts said with `pausesMs[i]` of silence between part i and i+1. */
  parts: string[];
  pausesMs: number[];
  /** Use LibriVox clip `librivox` (real human speech) instead of synthesising `parts`. */
  librivox?: number;
  /**
   * Said while the avatar speaks, `afterMs` after its voice starts; `then`: more said `pauseMs`
   * after it in the same breath group ("うん … でも"), the part that takes the turn.
   */
  during?: { text: string; afterMs: number; then?: { text: string; pauseMs: number } };
  /** The avatar's voice leaks back into the mic. */
  echo?: { delayMs: number; gainDb: number };
  /** The scripted language model's answer. */
  answer: string;
}

const JA_ANSWER =
  'はい、駐車場は正面と東側の二か所にあり、合わせて三百台とめられます。週末の午前中は混み合うので、早めのご来場をおすすめします。' +
  '駅からは無料のシャトルバスも二十分ごとに出ていますので、そちらも便利です。';
const EN_ANSWER =
  'Sure. The main lot and the east lot hold three hundred cars together. On weekend mornings they fill up early, so ' +
  'coming before ten is a good idea. A free shuttle bus also runs from the station every twenty minutes.';

const JA_PAUSED: Array<[string, string]> = [
  ['駐車場に車を止めて', 'それから入口まで歩けますか'],
  ['今日は雨なので', '屋内の展示を教えてください'],
  ['年間パスポートを買いたいんですけど', 'いくらになりますか'],
  ['温室は開いていますが', '火曜日は何時に閉まりますか'],
  ['子どもと行くから', 'ベビーカーを借りられますか'],
  ['えーと', '駐車場は何台とめられますか'],
];
const EN_PAUSED: Array<[string, string]> = [
  ['I would like to see the greenhouse and', 'the seed vault today'],
  ['The parking lot is full but', 'is there another one nearby'],
  ['We are bringing two children so', 'can we rent a stroller'],
  ['Um', 'what time do you open on Sundays'],
  ['When does the tropical greenhouse', 'close on Tuesdays'],
  ['I was wondering if', 'the cafe is open in the evening'],
];
const JA_COMPLETE = [
  '駐車場は何台とめられますか。', '年間パスポートの値段を教えてください。', '温室は火曜日の何時に閉まりますか。',
  '大人の入園料はいくらですか。', 'カメの名前は何ですか。', '今日は何時まで開いていますか。', 'ペットを連れて入れますか。',
  'レストランはどこにありますか。', '雨の日でも楽しめますか。', '種子の保管庫には標本がいくつありますか。',
  // everyday endings that are not です/ますか: a て-form request, a plain question in の
  '営業時間を教えて。', '温室は何時に閉まるの。',
];
const EN_COMPLETE = [
  'How many cars fit in the parking lot?', 'What does a yearly pass cost?', 'Where is the restaurant?',
  'Can I bring my dog?', 'What is the name of the tortoise?',
  // everyday endings on a pronoun and a stranded preposition
  'Thank you so much.', 'Where are you from?',
];
const JA_AFTERTHOUGHT: Array<[string, string]> = [
  ['温室は開いていますか', 'それと火曜日は何時に閉まりますか'],
  ['駐車場はありますか', '大きい車でもとめられますか'],
];
const EN_AFTERTHOUGHT: Array<[string, string]> = [
  ['Is the greenhouse open today?', 'and when does it close'],
  ['Do you have a parking lot?', 'for a large van I mean'],
];
const JA_THINKING: Array<[string, string]> = [
  ['えーと', '駐車場は何台とめられますか'],
  ['あのー', 'レストランはどこにありますか'],
];
const EN_THINKING: Array<[string, string]> = [
  ['Um', 'what time do you open on Sundays'],
  ['Let me see', 'where is the restaurant'],
];
const JA_BACKCHANNEL = ['うん', 'はい', 'へえ', 'なるほど', 'そうですね'];
const EN_BACKCHANNEL = ['yeah', 'uh huh', 'right', 'okay', 'mm hmm'];
/** Backchannels in a row, said once (at 1800 ms). */
const JA_BACKCHANNEL_RUNS = ['うんうん、なるほど', 'へえ、すごいですね'];
const EN_BACKCHANNEL_RUNS = ['oh, I see', 'okay, got it'];
const JA_INTERRUPT = ['ちょっと待って', '違います', 'ちょっと待ってください', 'いいえ、違います', '入園料はいくらですか', 'それより駐車場のことを聞きたいです'];
const EN_INTERRUPT = ['wait', 'stop', 'no', 'wait a second', 'stop please', 'what about the parking lot instead'];
/** A backchannel, 400 ms, then the user takes the turn: reaction is measured from the second part. */
const JA_INTERRUPT_AFTER_BACKCHANNEL: [string, string] = ['へえ', 'でも駐車場は有料ですか'];
const EN_INTERRUPT_AFTER_BACKCHANNEL: [string, string] = ['okay', 'but is the parking free'];

/** The part said before each mid-sentence pause, and the complete utterances (prosody-probe.ts). */
export const CONTINUATION_PARTS: Record<Lang, string[]> = { ja: JA_PAUSED.map(([a]) => a), en: EN_PAUSED.map(([a]) => a) };
export const COMPLETE_TEXTS: Record<Lang, string[]> = { ja: JA_COMPLETE, en: EN_COMPLETE };

const PAUSES = [300, 500, 700, 1000, 400, 800];

function perLanguage(lang: Lang): Scenario[] {
  const ja = lang === 'ja';
  const answer = ja ? JA_ANSWER : EN_ANSWER;
  const question = ja ? JA_COMPLETE[0]! : EN_COMPLETE[0]!;
  const out: Scenario[] = [];
  const paused = ja ? JA_PAUSED : EN_PAUSED;
  for (let round = 0; round < 2; round++) {
    paused.forEach(([a, b], i) => {
      const pause = PAUSES[(i + round * 3) % PAUSES.length]!;
      out.push({ id: `${lang}-pause-${i}-${pause}`, lang, kind: 'pause', parts: [a, b], pausesMs: [pause], answer });
    });
  }
  const complete: Scenario[] = (ja ? JA_COMPLETE : EN_COMPLETE).map((text, i) => ({ id: `${lang}-complete-${i}`, lang, kind: 'complete', parts: [text], pausesMs: [], answer }));
  if (!ja) for (let i = 0; i < 5; i++) complete.push({ id: `en-complete-librivox-${i}`, lang, kind: 'complete', parts: [], pausesMs: [], librivox: i, answer });
  out.push(...complete);
  const backchannels = ja ? JA_BACKCHANNEL : EN_BACKCHANNEL;
  for (const afterMs of [1200, 2600]) {
    backchannels.forEach((text, i) => out.push({ id: `${lang}-backchannel-${i}-${afterMs}`, lang, kind: 'backchannel', parts: [question], pausesMs: [], during: { text, afterMs }, answer }));
  }
  (ja ? JA_BACKCHANNEL_RUNS : EN_BACKCHANNEL_RUNS).forEach((text, i) =>
    out.push({ id: `${lang}-backchannel-run-${i}`, lang, kind: 'backchannel', parts: [question], pausesMs: [], during: { text, afterMs: 1800 }, answer }),
  );
  (ja ? JA_INTERRUPT : EN_INTERRUPT).forEach((text, i) =>
    out.push({ id: `${lang}-interrupt-${i}`, lang, kind: 'interrupt', parts: [question], pausesMs: [], during: { text, afterMs: 1200 + 300 * i }, answer }),
  );
  const [ack, then] = ja ? JA_INTERRUPT_AFTER_BACKCHANNEL : EN_INTERRUPT_AFTER_BACKCHANNEL;
  out.push({ id: `${lang}-interrupt-after-backchannel`, lang, kind: 'interrupt', parts: [question], pausesMs: [], during: { text: ack, afterMs: 2000, then: { text: then, pauseMs: 400 } }, answer });
  for (const pause of [400, 600]) {
    (ja ? JA_AFTERTHOUGHT : EN_AFTERTHOUGHT).forEach(([a, b], i) =>
      out.push({ id: `${lang}-afterthought-${i}-${pause}`, lang, kind: 'afterthought', parts: [a, b], pausesMs: [pause], answer }),
    );
  }
  for (const pause of [2500, 4000]) {
    (ja ? JA_THINKING : EN_THINKING).forEach(([a, b], i) =>
      out.push({ id: `${lang}-thinking-${i}-${pause}`, lang, kind: 'thinking', parts: [a, b], pausesMs: [pause], answer }),
    );
  }
  [30, 40, 50, 60, 70, 80].forEach((delayMs) =>
    out.push({ id: `${lang}-echo-${delayMs}`, lang, kind: 'echo', parts: [question], pausesMs: [], echo: { delayMs, gainDb: -20 }, answer }),
  );
  return out;
}

/** 114 scenarios: 57 Japanese, 57 English (98 of kinds a-e, 8 afterthoughts, 8 thinking). */
export function allScenarios(): Scenario[] {
  return [...perLanguage('ja'), ...perLanguage('en')];
}
