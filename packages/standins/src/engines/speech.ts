import { concatPcm, resampleOnce } from '@va/pipeline/audio-codec';
import { synthesize as espeak } from './espeak.ts';
import { hasOpenJTalk, synthesizeJapanese } from './openjtalk.ts';

/**
 * The TTS stand-ins' voice: Japanese runs of a text are spoken by Open JTalk, Latin runs by
 * espeak-ng (espeak-ng cannot read kanji: it spells them out at ~0.6 s per character). Digits,
 * spaces and punctuation follow their context, so "大人の入園料は 800 円" stays one
 * Japanese run (Open JTalk reads 800 as はっぴゃく) and "Tickets cost 800 yen" one English run.
 */

export type SpeechLanguage = 'ja' | 'en';
export type SpeechEngine = 'open_jtalk' | 'espeak-ng';

export interface ScriptRun {
  lang: SpeechLanguage;
  text: string;
}

/** Kana, kanji, CJK punctuation, full-width forms and the long-vowel mark. */
const JAPANESE = /[\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;
const LATIN = /\p{Script=Latin}/u;
/** Characters with no script of their own: they join the run around them. */
const NEUTRAL = /[\p{N}\p{P}\p{S}\p{Z}\s]/u;

function charLang(ch: string): SpeechLanguage | null {
  if (JAPANESE.test(ch)) return 'ja';
  if (LATIN.test(ch)) return 'en';
  if (NEUTRAL.test(ch)) return null;
  return 'en';
}

const TRAILING_NUMBER = /\p{N}[\p{N},.]*\s?$/u;

/**
 * Splits a text into runs by script. Neutral characters join the preceding run (the first run
 * when leading), except a number directly before a change of script, which joins the next run.
 */
export function scriptRuns(text: string): ScriptRun[] {
  const runs: ScriptRun[] = [];
  let lead = '';
  for (const ch of text) {
    const lang = charLang(ch);
    const last = runs.at(-1);
    if (lang === null) {
      if (last) last.text += ch;
      else lead += ch;
    } else if (last && last.lang === lang) last.text += ch;
    else {
      // a number right before a change of script is read with what follows it ("cost 800円")
      const carried = last ? (TRAILING_NUMBER.exec(last.text)?.[0] ?? '') : '';
      if (last && carried) last.text = last.text.slice(0, -carried.length);
      runs.push({ lang, text: lead + carried + ch });
      lead = '';
    }
  }
  if (lead && runs.length === 0) runs.push({ lang: 'en', text: lead });
  return runs.filter((r) => /[\p{L}\p{N}]/u.test(r.text));
}

export interface MixedSpeech {
  sampleRate: number;
  pcm: Int16Array;
  computeMs: number;
  /** The engine of each run, in order. */
  engines: SpeechEngine[];
}

export interface MixedSpeechOptions {
  sampleRate: number;
  speed?: number;
  signal?: AbortSignal;
}

/**
 * Speaks `text` run by run and joins the audio at `sampleRate`. Without Open JTalk installed,
 * Japanese runs fall back to espeak-ng's `ja` voice (slow and spelled out, but audible).
 */
export async function synthesizeSpeech(text: string, opts: MixedSpeechOptions): Promise<MixedSpeech> {
  const t0 = performance.now();
  const jtalk = hasOpenJTalk();
  const parts: Int16Array[] = [];
  const engines: SpeechEngine[] = [];
  for (const run of scriptRuns(text)) {
    opts.signal?.throwIfAborted();
    if (run.lang === 'ja' && jtalk) {
      const s = await synthesizeJapanese(run.text, { ...(opts.speed ? { speed: opts.speed } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
      parts.push(s.pcm.length ? resampleOnce(s.pcm, s.sampleRate, opts.sampleRate) : s.pcm);
      engines.push('open_jtalk');
    } else {
      const voice = run.lang === 'ja' ? 'ja' : 'en-us';
      const s = await espeak(run.text, { sampleRate: opts.sampleRate, voice, ...(opts.speed ? { speed: opts.speed } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
      parts.push(s.pcm);
      engines.push('espeak-ng');
    }
  }
  return { sampleRate: opts.sampleRate, pcm: concatPcm(parts), computeMs: performance.now() - t0, engines };
}
