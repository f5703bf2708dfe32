import type { SttProvider } from '@va/pipeline';
import { inProcess } from './providers.ts';

/** Something said, and when, on the microphone's timeline (ms). */
export interface Said {
  text: string;
  startMs: number;
  endMs: number;
}

const STT_RATE = 16_000;
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/u;
/** The end of a word a recogniser does not need to have heard to return it (ms). */
const WORD_TAIL_MS = 80;

/**
 * A stand-in STT that hears perfectly: it returns the known text of what was said inside the audio it
 * is given, up to the point the audio covers. Japanese clips always use it (no Japanese recognizer
 * exists on this machine); English clips use it with `--en-stt labels`, the control run that shows
 * what the policies do with an accurate recogniser. The audio's place on the timeline comes from
 * where the session started capturing the utterance.
 */
export function labelStt(said: () => Said[], captureFromMs: () => number): SttProvider {
  return {
    ...inProcess('stt', 'bench-labels'),
    async transcribe(req) {
      const from = captureFromMs();
      const to = from + (req.pcm.length / STT_RATE) * 1000;
      return { text: textBetween(said(), from, to) };
    },
  };
}

/**
 * The text said between two times. A clip still in progress is revealed in proportion to the part
 * of it covered: Japanese character by character, English whole word by whole word (one word too)
 * (a word counts once the audio covers its share of the clip, weighted by its letters, but for its
 * last WORD_TAIL_MS: a recogniser has the word before its final consonant has faded out, and the
 * energy span of a human recording runs on into that fade).
 */
export function textBetween(said: Said[], fromMs: number, toMs: number): string {
  const parts: string[] = [];
  for (const s of said) {
    if (s.endMs <= fromMs || s.startMs >= toMs) continue;
    const share = s.endMs <= toMs ? 1 : (toMs - s.startMs) / Math.max(1, s.endMs - s.startMs);
    const chars = [...s.text];
    const text = !JAPANESE.test(s.text) ? wordsUpTo(s.text, share + WORD_TAIL_MS / Math.max(1, s.endMs - s.startMs)) : chars.slice(0, Math.floor(chars.length * share)).join('');
    if (text) parts.push(text);
  }
  return parts.join(' ');
}

function wordsUpTo(text: string, share: number): string {
  const words = text.trim().split(/\s+/);
  const total = words.reduce((n, w) => n + w.length, 0);
  const out: string[] = [];
  let covered = 0;
  for (const w of words) {
    covered += w.length;
    if (covered / total > share + 1e-9) break;
    out.push(w);
  }
  return out.join(' ');
}
