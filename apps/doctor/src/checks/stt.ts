import type { SttProvider } from '@va/pipeline';
import type { CheckResult } from './result.ts';
import { failed, round, spread } from './result.ts';

export interface Clip {
  language: 'en' | 'ja';
  pcm: Int16Array;
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const LATIN = /[A-Za-z]/;

/** Each bundled clip transcribed `samples` times with its language set: latency and whether the language was honoured. */
export async function checkStt(stt: SttProvider, clips: Clip[], samples: number, timeoutMs: number): Promise<CheckResult> {
  const result: CheckResult = { ok: true, type: stt.type, base_url: stt.baseUrl, warnings: [] };
  try {
    for (const clip of clips) {
      const ms: number[] = [];
      let text = '';
      for (let i = 0; i <= samples; i++) {
        const t0 = performance.now();
        text = (await stt.transcribe({ pcm: clip.pcm, language: clip.language, signal: AbortSignal.timeout(timeoutMs) })).text;
        if (i > 0) ms.push(performance.now() - t0); // the first is a warm-up
      }
      const honoured = (clip.language === 'ja' ? JAPANESE : LATIN).test(text);
      if (!honoured) result.warnings.push(`${clip.language}: transcript ${JSON.stringify(text.slice(0, 40))} is not in the requested language`);
      result[clip.language] = { latency_ms: spread(ms), audio_ms: round((clip.pcm.length / 16000) * 1000), text, language_honoured: honoured };
    }
    return result;
  } catch (err) {
    return failed(stt.type, stt.baseUrl, err);
  }
}
