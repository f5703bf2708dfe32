import type { TtsProvider } from '@va/pipeline';
import type { CheckResult } from './result.ts';
import { failed, round, spread } from './result.ts';

export const CLAUSES = { en: 'The library opens at nine,', ja: '図書館は九時に開きます、' } as const;

interface Sample {
  firstByteMs: number;
  totalMs: number;
  audioMs: number;
}

async function once(tts: TtsProvider, text: string, timeoutMs: number): Promise<Sample> {
  const t0 = performance.now();
  let first: number | undefined;
  let audioMs = 0;
  for await (const chunk of tts.synthesize({ text, signal: AbortSignal.timeout(timeoutMs) })) {
    first ??= performance.now();
    audioMs += (chunk.pcm.length / chunk.sampleRate) * 1000;
  }
  return { firstByteMs: (first ?? performance.now()) - t0, totalMs: performance.now() - t0, audioMs };
}

/** A short clause in each language: first audio byte, real-time factor (synthesis time / audio time). */
export async function checkTts(tts: TtsProvider, samples: number, timeoutMs: number): Promise<CheckResult> {
  const result: CheckResult = { ok: true, type: tts.type, base_url: tts.baseUrl, warnings: [] };
  try {
    for (const [language, text] of Object.entries(CLAUSES)) {
      const runs: Sample[] = [];
      await once(tts, text, timeoutMs); // warm-up, not counted
      for (let i = 0; i < samples; i++) runs.push(await once(tts, text, timeoutMs));
      const audio = runs[0]!.audioMs;
      const rtf = runs.map((r) => (r.audioMs > 0 ? r.totalMs / r.audioMs : Number.POSITIVE_INFINITY));
      if (rtf.some((x) => x >= 1)) result.warnings.push(`${language}: slower than real time (RTF ${round(Math.max(...rtf))})`);
      result[language] = { first_byte_ms: spread(runs.map((r) => r.firstByteMs)), audio_ms: round(audio), rtf: round(Math.max(...rtf) * 100) / 100, chars: [...text].length };
    }
    return result;
  } catch (err) {
    return failed(tts.type, tts.baseUrl, err);
  }
}
