import { resampleOnce } from '@va/pipeline';
import { espeakSynthesize, synthesizeJapanese } from '@va/standins';
import { librivoxClips } from '@va/testkit';

/** Everything in the turn-taking benchmark runs at the browser's capture rate. */
export const RATE = 48_000;

export type Lang = 'ja' | 'en';

/** A piece of speech with the times (ms from its own start) at which its text is said. */
export interface Clip {
  lang: Lang;
  text: string;
  /** 48 kHz mono s16 */
  pcm: Int16Array;
  /** Start and end of the voiced part (ms). */
  speechStartMs: number;
  speechEndMs: number;
  /** How the clip was made, for the report. */
  source: 'open-jtalk' | 'espeak-ng' | 'librivox';
}

const cache = new Map<string, Promise<Clip>>();

/** Japanese speech from Open JTalk; the voiced span comes from its phoneme labels (exact). */
function japanese(text: string): Promise<Clip> {
  return synthesizeJapanese(text).then((s) => {
    const voiced = s.labels.filter((l) => l.phoneme !== 'sil' && l.phoneme !== 'pau');
    const pcm = s.sampleRate === RATE ? s.pcm : resampleOnce(s.pcm, s.sampleRate, RATE);
    return {
      lang: 'ja' as const,
      text,
      pcm,
      speechStartMs: (voiced[0]?.start ?? 0) * 1000,
      speechEndMs: (voiced.at(-1)?.end ?? pcm.length / RATE) * 1000,
      source: 'open-jtalk' as const,
    };
  });
}

/** English speech from espeak-ng; the voiced span from the signal's energy. */
function english(text: string): Promise<Clip> {
  return espeakSynthesize(text, { sampleRate: RATE, voice: 'en-us' }).then((s) => withEnergySpan('en', text, s.pcm, 'espeak-ng'));
}

/** A clip of speech, made once per text. */
export function speech(lang: Lang, text: string): Promise<Clip> {
  const key = `${lang}:${text}`;
  let clip = cache.get(key);
  if (!clip) {
    clip = lang === 'ja' ? japanese(text) : english(text);
    cache.set(key, clip);
  }
  return clip;
}

/** Real human speech (Debian pocketsphinx-testdata, LibriVox), resampled to 48 kHz. */
export function librivox(): Clip[] {
  return librivoxClips().map((c) => withEnergySpan('en', c.transcript, resampleOnce(c.pcm, 16_000, RATE), 'librivox'));
}

/**
 * The voiced span from the signal's energy: 10 ms windows louder than 300 (s16 RMS) or, in a
 * recording with a noise floor (LibriVox: breath and room noise after the last word), than 2.5 times
 * that floor (the quietest tenth of its windows). Synthetic speech has digital silence: 300.
 */
function withEnergySpan(lang: Lang, text: string, pcm: Int16Array, source: Clip['source']): Clip {
  const win = RATE / 100; // 10 ms
  const levels: number[] = [];
  for (let i = 0; i + win <= pcm.length; i += win) {
    let sum = 0;
    for (let j = i; j < i + win; j++) sum += pcm[j]! * pcm[j]!;
    levels.push(Math.sqrt(sum / win));
  }
  const floor = [...levels].sort((a, b) => a - b)[Math.floor(levels.length / 10)] ?? 0;
  const threshold = Math.max(300, 2.5 * floor);
  const first = levels.findIndex((l) => l > threshold);
  const last = levels.findLastIndex((l) => l > threshold);
  return { lang, text, pcm, speechStartMs: Math.max(0, first) * 10, speechEndMs: (last + 1) * 10, source };
}
