/**
 * English end-of-utterance words: does the last word finish a sentence, announce more, or neither?
 * The last word alone rarely decides: "for" announces more in "I bought it for" but ends "What are
 * you looking for", "you" ends "Thank you" but not "Could you", "that" ends "What is that" but not
 * "I think that". The rules below read the word before it and whether the sentence is a question.
 */
import type { UtteranceEnd } from './turn-end.ts';

type Rule = (words: string[], question: boolean) => UtteranceEnd | null;

/** Words after which a sentence never ends, even with a question mark (conjunctions, articles, fillers). */
const ALWAYS_OPEN = new Set([
  'and', 'but', 'or', 'because', 'um', 'uh', 'er', 'erm', 'if', 'while', 'whether', 'unless', 'although', 'the', 'a', 'an', 'my', 'your',
  'our', 'their', 'its', 'than', 'plus', 'very', 'wondering', 'hmm',
]);
const DETERMINERS = new Set(['the', 'a', 'an', 'my', 'your', 'our', 'their', 'his', 'her', 'its', 'this', 'that', 'these', 'those', 'some', 'any']);
const CONJUNCTIONS = new Set(['and', 'but', 'or', 'so', 'because', 'if', 'when', 'while', 'that', 'then', 'unless', 'until', 'where', 'as']);
const FILLERS = new Set(['um', 'uh', 'ah', 'er', 'erm', 'hmm', 'mm', 'well', 'so', 'oh', 'like']);
const WH = new Set(['what', 'when', 'where', 'how', 'why', 'who', 'which', "what's", "where's", "who's", "how's", "when's"]);
/** Words a question may begin with before its wh-word or auxiliary ("so what …", "and where …"). */
const LEAD_INS = new Set(['so', 'and', 'but', 'um', 'uh', 'okay', 'ok', 'well', 'oh', 'then']);
const COPULAS = new Set(['is', 'are', 'am', 'was', 'were', 'be', "what's", "where's", "who's", "how's", "that's", "it's"]);
const DO_AUX = new Set(['do', 'does', 'did', 'can', 'could', 'will', 'would', 'should', 'shall', 'may', 'might', 'must']);
const AUXILIARIES = new Set([...COPULAS, ...DO_AUX, 'have', 'has', 'had']);
const PREPOSITIONS = new Set(['to', 'of', 'with', 'for', 'in', 'on', 'at', 'from', 'about', 'into']);
const OBJECT_PRONOUNS = new Set(['it', 'them', 'me', 'him', 'her', 'us', 'you', 'this', 'that', 'these', 'those']);
/** Verbs whose particle ends the sentence: "come in", "log in", "turn it on". */
const PARTICLE_VERBS = new Set(['come', 'log', 'sign', 'check', 'turn', 'try', 'get', 'go', 'hold', 'move', 'carry', 'plug', 'switch', 'hang', 'keep']);
/** Words an "in"/"on" stranded by a wh-question belongs to ("which city do you live in"); "what time do you open on" is not one. */
const IN_ON_HEADS = new Set(['live', 'interested', 'stay', 'work', 'sit', 'play', 'put', 'count', 'rely', 'depend', 'based', 'included', 'involved', 'born']);
/** Words after which "to" is an infinitive that announces its verb ("what would you like to"). */
const INFINITIVE_HEADS = new Set([
  'like', 'want', 'wants', 'wanted', 'need', 'needs', 'going', 'have', 'has', 'had', 'able', 'trying', 'try', 'used', 'supposed', 'got', 'love',
  'hate', 'plan', 'planning', 'hope', 'ought', 'about', 'how', 'where', 'what', 'when', 'allowed',
]);
const SUBJECTS = new Set(['i', 'we', 'he', 'she', 'they']);
/** Verbs whose clause often follows without "that" ("I think you …", "I hope it …"). */
const OPINION_VERBS = new Set(['think', 'thought', 'believe', 'hope', 'guess', 'suppose', 'wish', 'bet', 'mean', 'said', 'says', 'feel', 'felt']);
/** Verbs after which "that" introduces a clause ("I think that …"). */
const CLAUSE_VERBS = new Set([
  'think', 'thought', 'say', 'said', 'says', 'know', 'knew', 'believe', 'hope', 'guess', 'mean', 'meant', 'sure', 'so', 'such', 'heard', 'feel',
  'felt', 'realize', 'realized', 'noticed', 'told', 'tell', 'wish', 'suppose', 'seems', 'means', 'is', 'was',
]);
/** Common verbs: a do-support question ("when does the tropical greenhouse …") is finished only once one follows. */
const VERBS = new Set([
  'open', 'opens', 'close', 'closes', 'cost', 'costs', 'start', 'end', 'have', 'take', 'get', 'go', 'come', 'work', 'mean', 'fit', 'leave',
  'arrive', 'run', 'need', 'want', 'like', 'know', 'serve', 'sell', 'allow', 'bring', 'buy', 'pay', 'park', 'see', 'visit', 'eat', 'find',
  'say', 'tell', 'help', 'book', 'rent', 'use', 'stay', 'begin', 'finish', 'happen', 'live', 'feed', 'hold', 'keep', 'show', 'make', 'do', 'be',
  'love', 'hate', 'try', 'read', 'hear', 'explain', 'check', 'fix', 'repeat', 'change', 'send', 'give', 'call', 'ask', 'play', 'watch', 'wear',
  'think', 'recommend', 'suggest', 'stop', 'reopen', 'last', 'look', 'grow', 'bloom', 'live', 'die', 'weigh', 'sleep', 'move', 'talk',
]);
/** Auxiliaries and copulas that can end a sentence once their verb phrase is understood ("than he was", "yes I can"). */
const ELLIPSIS_AUX = new Set(['is', 'are', 'am', 'was', 'were', 'do', 'does', 'did', 'can', 'could', 'will', 'would', 'should', 'have', 'has', 'had']);
const ELLIPSIS_SUBJECTS = new Set(['i', 'you', 'he', 'she', 'it', 'we', 'they', 'there', 'this', 'that']);
/** Words that open a clause whose verb may come last: "than he was", "where it is", "what time it is", "as fast as I can". */
const CLAUSE_OPENERS = new Set(['than', 'as', 'where', 'what', 'who', 'how']);
const ANSWER_WORDS = new Set(['yes', 'yeah', 'no', 'nope', 'sure']);
/** Whole utterances that are complete however short: answers, thanks, greetings. */
const SET_PHRASES = new Set([
  'yes', 'yeah', 'yep', 'no', 'nope', 'sure', 'thanks', 'thank you', 'thank you so much', 'thank you very much', 'hello', 'hi',
  'hey', 'bye', 'goodbye', 'good morning', 'good night', 'good evening', 'please', 'of course', 'got it', 'i see', 'alright', 'all right',
  'great', 'perfect', 'exactly', 'cool', 'nice', 'never mind', 'see you', 'sounds good', 'no thanks', 'yes please',
]);

/** Whether English words so far finish a sentence, announce more, or say neither. */
export function classifyEnglish(text: string, hasQuestionMark: boolean): UtteranceEnd {
  const words = text.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ').split(/\s+/).filter(Boolean);
  const last = words.at(-1);
  if (!last) return 'neutral';
  if (ALWAYS_OPEN.has(last)) return 'continue';
  if (SET_PHRASES.has(words.join(' '))) return 'complete';
  // a recogniser writes a question mark only for a question: whatever else the last word is
  if (hasQuestionMark) return 'complete';
  const byLastWord = lastWordRule(last)?.(words, isQuestion(words));
  if (byLastWord) return byLastWord;
  if (words.length <= 2 && FILLERS.has(words[0]!)) return 'continue'; // "um", "uh well": more is coming
  if (awaitsMainVerb(words)) return 'continue';
  return words.length >= 3 ? 'complete' : 'neutral';
}

function lastWordRule(last: string): Rule | null {
  if (ELLIPSIS_AUX.has(last)) return auxiliaryAtEnd;
  if (PREPOSITIONS.has(last)) return prepositionAtEnd;
  if (SUBJECTS.has(last) || last === 'you' || last === 'it') return pronounAtEnd;
  if (last === 'this' || last === 'that' || last === 'these' || last === 'those') return demonstrativeAtEnd;
  return WORD_RULES[last] ?? null;
}

const WORD_RULES: Record<string, Rule> = {
  so: (w) => (['think', 'hope', 'guess', 'believe', 'suppose', 'said', 'say', 'afraid', 'not'].includes(before(w)) ? 'complete' : 'continue'),
  like: (w) => (whQuestion(w) ? 'complete' : 'continue'), // "what is it like" / "I would like"
  some: (_w, question) => (question ? 'complete' : 'neutral'),
  any: (_w, question) => (question ? 'complete' : 'neutral'),
  more: (w) => (before(w) === 'the' ? 'continue' : null), // "the more …" / "tell me more"
  most: (w) => (before(w) === 'the' ? 'continue' : null),
  her: () => 'neutral', // "I told her" / "her car"
  his: () => 'neutral',
  who: () => 'continue',
  which: () => 'continue',
  when: () => 'continue',
  well: openingWord,
  maybe: openingWord,
  actually: openingWord,
  also: openingWord,
  then: openingWord,
};

/** Fillers and adverbs announce more at the start or after a conjunction ("and then"), not after a clause ("I'm doing well"). */
function openingWord(words: string[]): UtteranceEnd | null {
  return words.length <= 2 || CONJUNCTIONS.has(before(words)) ? 'continue' : null;
}

/**
 * A subject and an auxiliary at the very end: complete when a clause opener comes just before
 * ("than he was", "what time it is") or it answers ("yes I can"); otherwise it may go on or not
 * ("and he was …" / "I think he was"): neutral. Any other auxiliary at the end announces its verb.
 */
function auxiliaryAtEnd(words: string[]): UtteranceEnd {
  const n = words.length;
  if (n < 2 || !ELLIPSIS_SUBJECTS.has(words[n - 2]!)) return 'continue';
  if (words.slice(Math.max(0, n - 5), n - 2).some((w) => CLAUSE_OPENERS.has(w))) return 'complete';
  if (n === 3 && ANSWER_WORDS.has(words[0]!)) return 'complete';
  return 'neutral';
}

/**
 * A preposition at the end announces its object ("I bought it for"), unless it is stranded by a
 * wh-question ("what are you looking for", "where are you from") or a particle of its verb
 * ("come in", "turn it on").
 */
function prepositionAtEnd(words: string[]): UtteranceEnd {
  const last = words.at(-1)!;
  const prev = before(words);
  const inOn = last === 'in' || last === 'on';
  if (inOn && (PARTICLE_VERBS.has(prev) || (OBJECT_PRONOUNS.has(prev) && words.length >= 3))) return 'complete';
  if (last === 'to' && INFINITIVE_HEADS.has(prev)) return 'continue';
  const wh = whQuestion(words) ? questionStart(words)! : null;
  // after a noun ("what is the price of") the preposition announces its object; after a verb it is stranded
  const afterNoun = DETERMINERS.has(words.at(-3) ?? '');
  const stranded = wh !== null && words.length - wh >= 4 && !WH.has(prev) && !afterNoun && (!inOn || IN_ON_HEADS.has(prev));
  return stranded ? 'complete' : 'continue';
}

/**
 * "how are you", "where am I": a subject after an auxiliary in a wh-question ends it; "can you",
 * "do you" announce a request; "thank you", "I like it": an object ends the sentence; a subject
 * anywhere else ("and then I", "because it", "I think you") announces its verb.
 */
function pronounAtEnd(words: string[]): UtteranceEnd {
  const last = words.at(-1)!;
  const prev = before(words);
  if (COPULAS.has(prev)) return whQuestion(words) ? 'complete' : 'neutral';
  if (AUXILIARIES.has(prev)) return 'continue'; // "what do you", "could you": the verb is still to come
  if (last !== 'you' && last !== 'it') return 'continue';
  // "and it", "I think you": a subject whose verb is to come; "thank you", "I like it": an object
  return CONJUNCTIONS.has(prev) || OPINION_VERBS.has(prev) || words.length === 1 ? 'continue' : 'complete';
}

/** "what is that", "I like this", "about those" end a sentence; "I think that", "the one that" announce a clause. */
function demonstrativeAtEnd(words: string[], question: boolean): UtteranceEnd {
  const last = words.at(-1)!;
  const prev = before(words);
  if (last === 'that' && CLAUSE_VERBS.has(prev) && !question) return 'continue';
  if (COPULAS.has(prev) || DO_AUX.has(prev) || PREPOSITIONS.has(prev) || VERBS.has(prev) || WH.has(prev)) return 'complete';
  return last === 'that' ? 'continue' : 'neutral';
}

/** Index of the word a question starts with (a wh-word or an auxiliary, after "so", "and", …), or null. */
function questionStart(words: string[]): number | null {
  let i = 0;
  while (i < words.length - 1 && LEAD_INS.has(words[i]!)) i++;
  const w = words[i]!;
  return WH.has(w) || AUXILIARIES.has(w) ? i : null;
}

function isQuestion(words: string[]): boolean {
  return questionStart(words) !== null;
}

function whQuestion(words: string[]): boolean {
  const i = questionStart(words);
  return i !== null && WH.has(words[i]!);
}

function before(words: string[]): string {
  return words.at(-2) ?? '';
}

/**
 * "when does the tropical greenhouse": a wh + do/modal question whose main verb has not come yet.
 * A pronoun subject is one word, so whatever follows it is the verb ("what do you think"); after a
 * noun phrase only a known verb tells.
 */
function awaitsMainVerb(words: string[]): boolean {
  const wh = words.findIndex((w) => WH.has(w));
  if (wh < 0 || !DO_AUX.has(words[wh + 1] ?? '')) return false;
  if (ELLIPSIS_SUBJECTS.has(words[wh + 2] ?? '')) return words.length <= wh + 3;
  return !words.slice(wh + 2).some((w) => VERBS.has(w));
}
