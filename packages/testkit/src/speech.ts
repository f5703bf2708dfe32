import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav, mixToMono, pcmFromBytes } from '@va/pipeline';

/** Debian package pocketsphinx-testdata: real human speech with reference transcripts. */
export const SPHINX_TESTDATA = '/usr/share/pocketsphinx/test/data';

export interface SpeechClip {
  name: string;
  /** 16 kHz mono s16 */
  pcm: Int16Array;
  transcript: string;
}

/**
 * Whether the real-speech fixtures are installed. Tests that need them skip when they are not,
 * except under `CI=true`, where a missing fixture is an error (a skipped end-to-end test must not
 * pass a CI run).
 */
export function hasSpeechFixtures(env: NodeJS.ProcessEnv = process.env, dir = SPHINX_TESTDATA): boolean {
  if (existsSync(join(dir, 'goforward.raw'))) return true;
  if (env['CI'] === 'true') {
    throw new Error(`speech fixtures missing: ${dir}/goforward.raw not found; install the Debian package pocketsphinx-testdata (scripts/setup.sh does). CI=true makes this a failure instead of a skip.`);
  }
  return false;
}

/** "go forward ten meters" (about 2.8 s). */
export function goForward(): SpeechClip {
  return { name: 'goforward', pcm: pcmFromBytes(readFileSync(join(SPHINX_TESTDATA, 'goforward.raw'))), transcript: 'go forward ten meters' };
}

/** A WAV file of the test data (e.g. `cards/001.wav`), as 16-bit mono. */
export function sphinxWav(relPath: string): { sampleRate: number; pcm: Int16Array } {
  const wav = decodeWav(readFileSync(join(SPHINX_TESTDATA, relPath)));
  return { sampleRate: wav.sampleRate, pcm: mixToMono(wav.pcm, wav.channels) };
}

/** The five LibriVox clips with their transcripts (3-7 s each). */
export function librivoxClips(): SpeechClip[] {
  const dir = join(SPHINX_TESTDATA, 'librivox');
  const lines = readFileSync(join(dir, 'transcription'), 'utf8').trim().split('\n');
  return lines.map((line) => {
    const m = /^<s>\s*(.*?)\s*<\/s>\s*\((.+)\)$/.exec(line.trim());
    if (!m) throw new Error(`unexpected transcription line: ${line}`);
    const wav = decodeWav(readFileSync(join(dir, `${m[2]}.wav`)));
    return { name: m[2]!, pcm: wav.pcm, transcript: m[1]! };
  });
}

/** Pads a clip with silence (ms) before and after. */
export function padSilence(pcm: Int16Array, beforeMs: number, afterMs: number, rate = 16_000): Int16Array {
  const before = Math.round((beforeMs * rate) / 1000);
  const out = new Int16Array(before + pcm.length + Math.round((afterMs * rate) / 1000));
  out.set(pcm, before);
  return out;
}

/** Audio time (ms) where speech energy ends: last 20 ms window above -40 dBFS-ish. */
export function speechEndMs(pcm: Int16Array, rate = 16_000): number {
  const win = rate / 50;
  let last = 0;
  for (let i = 0; i + win <= pcm.length; i += win) {
    let sum = 0;
    for (let j = i; j < i + win; j++) sum += (pcm[j]! / 32768) ** 2;
    if (Math.sqrt(sum / win) > 0.01) last = i + win;
  }
  return (last / rate) * 1000;
}
