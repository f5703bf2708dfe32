/**
 * End of turn from the words heard so far. A finished sentence is answered after a short silence;
 * a clause that announces more (て/けど/が/えーと, and/but/um, a list) waits longer; anything else
 * waits a medium time; a hard maximum bounds every wait. Pure: the listener asks it on each pause.
 */
import { classifyEnglish } from './turn-end-en.ts';
import { classifyJapanese } from './turn-end-ja.ts';

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

export const defaultTurnEndOptions: TurnEndOptions = { completeMs: 200, neutralMs: 720, continueMs: 1400, maxMs: 1600 };

const JA_SCRIPT = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/u;
const TRAILING_PUNCT = /[\s、，,・…‥。．.!！?？」』）)"'〜~]+$/u;

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

/** Silence (ms) that ends the turn after these words. */
export function endOfTurnSilenceMs(text: string, opts: TurnEndOptions = defaultTurnEndOptions): number {
  const kind = classifyUtteranceEnd(text);
  const ms = kind === 'complete' ? opts.completeMs : kind === 'continue' ? opts.continueMs : opts.neutralMs;
  return Math.min(ms, opts.maxMs);
}
