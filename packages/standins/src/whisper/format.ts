import type { Recognition } from '../engines/sphinx-worker.ts';

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'english', ja: 'japanese', de: 'german', fr: 'french', es: 'spanish', it: 'italian', zh: 'chinese',
  ko: 'korean', pt: 'portuguese', ru: 'russian', nl: 'dutch',
};

export function languageName(code: string | undefined): string {
  if (!code || code === 'auto') return 'english';
  return LANGUAGE_NAMES[code.toLowerCase()] ?? code.toLowerCase();
}

/** What whisper.cpp's models write for a clip with no speech in it. */
export const BLANK_AUDIO = '[BLANK_AUDIO]';

/** A clip shorter than this gets '' rather than [BLANK_AUDIO] (s). */
const BLANK_MIN_SECONDS = 1;
/** No 30 ms window of a "blank" clip is louder than this (RMS, of full scale 1; -40 dBFS). */
const BLANK_MAX_RMS = 0.01;

/**
 * whisper.cpp on a second or more of silence or faint noise: its models write `[BLANK_AUDIO]`
 * (a known Whisper habit, seen in issue threads of whisper.cpp and of apps built on it), unless
 * the request sets `suppress_non_speech`. Only clips with nothing loud in them: where pocketsphinx
 * finds no words in a loud clip, that is its own failure, not a blank a real model would see.
 */
export function withBlankAudio(r: Recognition, pcm: Int16Array, suppressNonSpeech: boolean): Recognition {
  const seconds = pcm.length / 16_000;
  if (r.text.trim() || suppressNonSpeech || seconds < BLANK_MIN_SECONDS || loudestWindowRms(pcm) > BLANK_MAX_RMS) return r;
  return { ...r, text: BLANK_AUDIO, words: [{ word: BLANK_AUDIO, start: 0, end: seconds, probability: 0.9 }] };
}

function loudestWindowRms(pcm: Int16Array): number {
  const win = 480;
  let top = 0;
  for (let i = 0; i + win <= pcm.length; i += win) {
    let sum = 0;
    for (let j = i; j < i + win; j++) sum += (pcm[j]! / 32768) ** 2;
    top = Math.max(top, Math.sqrt(sum / win));
  }
  return top;
}

/** whisper-style segment text: leading space, capitalised, final period (an annotation as it is). Empty for no speech. */
export function segmentText(r: Recognition): string {
  const t = r.text.trim();
  if (!t) return '';
  if (t === BLANK_AUDIO) return ` ${t}`;
  return ` ${t.charAt(0).toUpperCase()}${t.slice(1)}.`;
}

/** The `text` value whisper.cpp returns: each segment's text followed by a newline. */
export function transcriptText(r: Recognition): string {
  const s = segmentText(r);
  return s ? `${s}\n` : '';
}

function ts(sec: number, sep: string): string {
  const ms = Math.round(sec * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(h)}:${p(m)}:${p(s)}${sep}${p(ms % 1000, 3)}`;
}

function span(r: Recognition, duration: number): { start: number; end: number } {
  const first = r.words[0];
  const last = r.words[r.words.length - 1];
  return { start: first ? first.start : 0, end: last ? Math.min(duration, last.end) : duration };
}

export function srt(r: Recognition, duration: number): string {
  const s = segmentText(r);
  if (!s) return '';
  const { start, end } = span(r, duration);
  return `1\n${ts(start, ',')} --> ${ts(end, ',')}\n${s}\n\n`;
}

export function vtt(r: Recognition, duration: number): string {
  const s = segmentText(r);
  const { start, end } = span(r, duration);
  return s ? `WEBVTT\n\n${ts(start, '.')} --> ${ts(end, '.')}\n${s}\n\n` : 'WEBVTT\n\n';
}

function tokenId(word: string): number {
  let h = 2166136261;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
  return 1000 + ((h >>> 0) % 49000);
}

export function verboseJson(
  r: Recognition,
  opts: { duration: number; language: string | undefined; temperature: number; noTimestamps: boolean; languageProbabilities: boolean },
): Record<string, unknown> {
  const text = segmentText(r);
  const lang = languageName(opts.language);
  const words = r.words.map((w, i) => ({
    word: i === 0 ? ` ${w.word.charAt(0).toUpperCase()}${w.word.slice(1)}` : ` ${w.word}`,
    ...(opts.noTimestamps ? {} : { start: w.start, end: w.end }),
    t_dtw: -1,
    probability: Number(w.probability.toFixed(4)),
  }));
  const avgLogprob = r.words.length ? r.words.reduce((a, w) => a + Math.log(Math.max(w.probability, 1e-6)), 0) / r.words.length : 0;
  const segments = text
    ? [
        {
          id: 0,
          text,
          ...(opts.noTimestamps ? {} : span(r, opts.duration)),
          tokens: r.words.map((w) => tokenId(w.word)),
          words,
          temperature: opts.temperature,
          avg_logprob: Number(avgLogprob.toFixed(4)),
          no_speech_prob: r.words.length ? 0.01 : 0.9,
        },
      ]
    : [];
  const out: Record<string, unknown> = {
    task: 'transcribe',
    language: lang,
    duration: Number(opts.duration.toFixed(3)),
    text: transcriptText(r),
    segments,
  };
  if (opts.languageProbabilities) {
    const code = Object.entries(LANGUAGE_NAMES).find(([, v]) => v === lang)?.[0] ?? 'en';
    out['detected_language'] = lang;
    out['detected_language_probability'] = 0.98;
    out['language_probabilities'] = { [code]: 0.98 };
  }
  return out;
}
