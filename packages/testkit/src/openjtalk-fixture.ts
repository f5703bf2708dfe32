import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav, encodeWav, resampleOnce } from '@va/pipeline';
import { hasOpenJTalk, openJTalkConfigFromEnv, synthesizeJapanese, type PhonemeLabel } from '@va/standins';

export type { PhonemeLabel } from '@va/standins';

/** Japanese speech made by Open JTalk, with the phoneme timing it was made with. */
export interface JapaneseSpeechFixture {
  text: string;
  sampleRate: number;
  /** Mono s16 at `sampleRate`. */
  pcm: Int16Array;
  /** Seconds from the start of `pcm`. */
  labels: PhonemeLabel[];
}

export interface JapaneseFixtureOptions {
  /** Output rate; Open JTalk's own 48 kHz by default. */
  sampleRate?: number;
  speed?: number;
  /** Another voice from the same model: pitch (semitones) and formant warp (all-pass constant). */
  pitchSemitones?: number;
  allPass?: number;
  /** Where made fixtures are kept between runs; VA_FIXTURE_CACHE or the OS temp dir by default. */
  cacheDir?: string;
}

/**
 * True when Open JTalk, its dictionary and its voice are installed. Tests skip otherwise, except
 * under `CI=true`, where a missing engine is an error (a skipped Japanese test must not pass CI).
 */
export function hasJapaneseSpeechFixtures(env: NodeJS.ProcessEnv = process.env): boolean {
  if (hasOpenJTalk()) return true;
  if (env['CI'] === 'true') {
    throw new Error('Japanese speech fixtures missing: Open JTalk is not installed (Debian open-jtalk, open-jtalk-mecab-naist-jdic, hts-voice-nitech-jp-atr503-m001 from contrib; scripts/setup.sh does). CI=true makes this a failure instead of a skip.');
  }
  return false;
}

function defaultCacheDir(): string {
  return process.env.VA_FIXTURE_CACHE ?? join(tmpdir(), 'va-fixture-cache', 'openjtalk');
}

/**
 * Speech for a Japanese `text` with its label timing, made once with Open JTalk and cached by the
 * text, speed and voice (a 48 kHz WAV beside a JSON of labels); resampled on the way out.
 */
export async function japaneseSpeech(text: string, opts: JapaneseFixtureOptions = {}): Promise<JapaneseSpeechFixture> {
  const config = openJTalkConfigFromEnv();
  const speed = opts.speed ?? 1;
  const variant = { pitchSemitones: opts.pitchSemitones ?? 0, allPass: opts.allPass };
  const key = createHash('sha256').update(JSON.stringify([text, speed, config.voice, variant])).digest('hex').slice(0, 24);
  const dir = opts.cacheDir ?? defaultCacheDir();
  const wavPath = join(dir, `${key}.wav`);
  const labelPath = join(dir, `${key}.json`);
  let native: { sampleRate: number; pcm: Int16Array; labels: PhonemeLabel[] };
  if (existsSync(wavPath) && existsSync(labelPath)) {
    const wav = decodeWav(readFileSync(wavPath));
    native = { sampleRate: wav.sampleRate, pcm: wav.pcm, labels: JSON.parse(readFileSync(labelPath, 'utf8')) as PhonemeLabel[] };
  } else {
    const made = await synthesizeJapanese(text, { speed, config, ...variant });
    native = made;
    mkdirSync(dir, { recursive: true });
    writeAtomically(labelPath, JSON.stringify(made.labels));
    writeAtomically(wavPath, encodeWav(made.pcm, made.sampleRate));
  }
  const rate = opts.sampleRate ?? native.sampleRate;
  const pcm = rate === native.sampleRate ? native.pcm : resampleOnce(native.pcm, native.sampleRate, rate);
  return { text, sampleRate: rate, pcm, labels: native.labels };
}

function writeAtomically(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Label spans (seconds) of speech: everything but the leading/trailing `sil` and `pau`. */
export function speechSpans(labels: readonly PhonemeLabel[]): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (const l of labels) {
    if (l.phoneme === 'sil' || l.phoneme === 'pau') continue;
    const last = spans.at(-1);
    if (last && Math.abs(last.end - l.start) < 1e-9) last.end = l.end;
    else spans.push({ start: l.start, end: l.end });
  }
  return spans;
}
