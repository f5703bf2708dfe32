import type { SttProvider } from '@va/pipeline';
import { inProcess } from './providers.ts';

/** Something said, and when, on the microphone's timeline (ms). */
export interface Said {
  text: string;
  startMs: number;
  endMs: number;
}

const STT_RATE = 16_000;

/**
 * A stand-in STT for Japanese clips (no Japanese recognizer exists on this machine): it returns the
 * known text of what was said inside the audio it is given, up to the point the audio covers (a word
 * in progress is revealed in proportion to the part of it covered). The audio's place on the
 * timeline comes from where the session started capturing the utterance.
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

export function textBetween(said: Said[], fromMs: number, toMs: number): string {
  const parts: string[] = [];
  for (const s of said) {
    if (s.endMs <= fromMs || s.startMs >= toMs) continue;
    const chars = [...s.text];
    const share = s.endMs <= toMs ? 1 : (toMs - s.startMs) / Math.max(1, s.endMs - s.startMs);
    const text = chars.slice(0, Math.floor(chars.length * share)).join('');
    if (text) parts.push(text);
  }
  return parts.join(' ');
}
