/**
 * End of turn from the words heard so far. A finished sentence is answered after a short silence;
 * a clause that announces more (て/けど/が/えーと, and/but/um, a list) waits longer; anything else
 * waits a medium time; a hard maximum bounds every wait. Pure: the listener asks it on each pause.
 */
export type UtteranceEnd = 'complete' | 'continue' | 'neutral';

export interface TurnEndOptions {
  /** Silence after a complete sentence (ms). */
  completeMs: number;
  /** Silence when the words neither finish nor continue (ms). */
  neutralMs: number;
  /** Silence after a continuation cue (ms). */
  continueMs: number;
  /** No pause is waited out longer than this (ms). */
  maxMs: number;
}

export const defaultTurnEndOptions: TurnEndOptions = { completeMs: 240, neutralMs: 720, continueMs: 1400, maxMs: 1600 };

const JA_SCRIPT = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/u;
const TRAILING_PUNCT = /[\s、，,・…‥。．.!！?？」』）)"'〜~]+$/u;

/** Japanese endings after which a speaker has more to say (conjunctive particles, fillers, topic markers). */
const JA_CONTINUE = [
  'て', 'で', 'けど', 'けれど', 'けれども', 'が', 'から', 'ので', 'のに', 'し', 'たり', 'だり', 'とか', 'って', 'ながら', 'ば', 'たら', 'なら',
  'えーと', 'えっと', 'あの', 'あのー', 'その', 'えー', 'うーん', 'まあ', 'は', 'を', 'に', 'へ', 'と', 'の', 'も', 'や', 'より', 'について', 'それから', 'あと', 'でも', 'それで',
];
/** Japanese sentence-final forms: polite/plain predicates and final particles. */
const JA_COMPLETE = [
  'です', 'ます', 'でした', 'ました', 'ません', 'ください', 'ですか', 'ますか', 'か', 'ね', 'よ', 'よね', 'な', 'だ', 'た', 'ない', 'たい',
  'うん', 'はい', 'ええ', 'そう', 'なるほど', 'かな', 'でしょう', 'でしょうか', 'ましょう', 'ませんか', 'ほしい', 'ちょうだい', 'ありがとう', 'ありがとうございます', 'すみません', 'お願いします',
];
/** English words that leave a clause open. */
const EN_CONTINUE = new Set([
  'and', 'but', 'so', 'or', 'because', 'um', 'uh', 'er', 'erm', 'hmm', 'like', 'if', 'when', 'while', 'that', 'which', 'who', 'the', 'a', 'an',
  'to', 'of', 'with', 'for', 'in', 'on', 'at', 'from', 'about', 'my', 'your', 'our', 'their', 'his', 'her', 'its', 'is', 'are', 'was', 'were',
  'do', 'does', 'did', 'can', 'could', 'would', 'will', 'should', 'i', 'we', 'you', 'he', 'she', 'they', 'then', 'also', 'plus', 'than', 'into',
  'maybe', 'well', 'actually', 'wondering', 'also', 'some', 'any', 'this', 'these', 'those', 'very', 'more', 'most',
]);
const EN_FILLERS = new Set(['um', 'uh', 'ah', 'er', 'erm', 'hmm', 'mm', 'well', 'so', 'oh', 'like']);
const EN_WH = new Set(['what', 'when', 'where', 'how', 'why', 'who', 'which']);
const EN_DO_AUX = new Set(['do', 'does', 'did', 'can', 'could', 'will', 'would', 'should', 'shall', 'may', 'might', 'must']);
/** Common verbs: a do-support question ("when does the greenhouse …") is finished only once one follows. */
const EN_VERBS = new Set([
  'open', 'opens', 'close', 'closes', 'cost', 'costs', 'start', 'end', 'have', 'take', 'get', 'go', 'come', 'work', 'mean', 'fit', 'leave',
  'arrive', 'run', 'need', 'want', 'like', 'know', 'serve', 'sell', 'allow', 'bring', 'buy', 'pay', 'park', 'see', 'visit', 'eat', 'find',
  'say', 'tell', 'help', 'book', 'rent', 'use', 'stay', 'begin', 'finish', 'happen', 'live', 'feed', 'hold', 'keep', 'show', 'make', 'do', 'be',
]);

/** Auxiliaries and copulas that can end a sentence once their verb phrase is understood ("than he was", "yes I can"). */
const EN_ELLIPSIS_AUX = new Set(['is', 'are', 'am', 'was', 'were', 'do', 'does', 'did', 'can', 'could', 'will', 'would', 'should', 'have', 'has', 'had']);
const EN_SUBJECTS = new Set(['i', 'you', 'he', 'she', 'it', 'we', 'they', 'there', 'this', 'that']);
/** Words that open a clause whose verb may come last: "than he was", "where it is", "what time it is", "as fast as I can". */
const EN_CLAUSE_OPENERS = new Set(['than', 'as', 'where', 'what', 'who', 'how']);
const EN_ANSWER_WORDS = new Set(['yes', 'yeah', 'no', 'nope', 'sure']);

/** Whether the words so far finish a sentence, announce more, or say neither. */
export function classifyUtteranceEnd(text: string): UtteranceEnd {
  const trimmed = text.trim();
  // speech was heard but no word came out of it: a filler or a breath, more is likely to follow
  if (!trimmed) return 'continue';
  if (/[…‥]$|\.\.\.$|[、，,]$/u.test(trimmed)) return 'continue';
  // A recogniser ends almost every transcript with a period, finished or not: only a question
  // mark says something. The words decide.
  const hasStop = /[？?]$/u.test(trimmed);
  const bare = trimmed.replace(TRAILING_PUNCT, '');
  if (JA_SCRIPT.test(bare)) return classifyJapanese(bare, hasStop);
  return classifyEnglish(bare, hasStop);
}

function classifyJapanese(s: string, hasStop: boolean): UtteranceEnd {
  const longest = (list: string[]) => list.filter((e) => s.endsWith(e)).reduce((a, b) => (b.length > a.length ? b : a), '');
  const c = longest(JA_COMPLETE);
  const k = longest(JA_CONTINUE);
  if (hasStop) return 'complete';
  if (k.length > c.length) return 'continue';
  if (c) return 'complete';
  return 'neutral';
}

function classifyEnglish(s: string, hasStop: boolean): UtteranceEnd {
  const words = s.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ').split(/\s+/).filter(Boolean);
  const last = words.at(-1);
  if (!last) return 'neutral';
  const ellipsis = clauseFinalAuxiliary(words);
  if (ellipsis) return ellipsis;
  if (EN_CONTINUE.has(last)) return 'continue';
  if (hasStop) return 'complete';
  if (words.length <= 2 && EN_FILLERS.has(words[0]!)) return 'continue'; // "um", "uh well": more is coming
  if (awaitsMainVerb(words)) return 'continue';
  return words.length >= 3 ? 'complete' : 'neutral';
}

/**
 * A subject and an auxiliary at the very end: complete when a clause opener comes just before
 * ("than he was", "what time it is") or it answers ("yes I can"); otherwise it may go on or not
 * ("and he was …" / "I think he was"): neutral. Null when the words do not end that way.
 */
function clauseFinalAuxiliary(words: string[]): UtteranceEnd | null {
  const n = words.length;
  if (n < 2 || !EN_ELLIPSIS_AUX.has(words[n - 1]!) || !EN_SUBJECTS.has(words[n - 2]!)) return null;
  const before = words.slice(Math.max(0, n - 5), n - 2);
  if (before.some((w) => EN_CLAUSE_OPENERS.has(w))) return 'complete';
  if (n === 3 && EN_ANSWER_WORDS.has(words[0]!)) return 'complete';
  return 'neutral';
}

/** "when does the tropical greenhouse": a wh + do/modal question whose main verb has not come yet. */
function awaitsMainVerb(words: string[]): boolean {
  const wh = words.findIndex((w) => EN_WH.has(w));
  if (wh < 0 || !EN_DO_AUX.has(words[wh + 1] ?? '')) return false;
  return !words.slice(wh + 2).some((w) => EN_VERBS.has(w));
}

/** Silence (ms) that ends the turn after these words. */
export function endOfTurnSilenceMs(text: string, opts: TurnEndOptions = defaultTurnEndOptions): number {
  const kind = classifyUtteranceEnd(text);
  const ms = kind === 'complete' ? opts.completeMs : kind === 'continue' ? opts.continueMs : opts.neutralMs;
  return Math.min(ms, opts.maxMs);
}
