import type { Clock, LlmChunk, LlmProvider, SttProvider, TtsChunk, TtsProvider } from '@va/pipeline';
import { RATE, speech, type Lang } from './clips.ts';

/** Stage latencies on the benchmark's clock: the latency benchmark's defaults. */
export const LATENCY = { sttMs: 150, llmFirstTokenMs: 200, llmPerTokenMs: 25, ttsMs: 250 };

/**
 * Real work (a pocketsphinx decode over HTTP, a synthesis) runs in real time while the benchmark's
 * clock stands still: the driver waits for every piece of it before moving the clock, so results
 * arrive at a fixed latency on the benchmark's clock whatever this machine's speed.
 */
export class RealWork {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.then(
      () => this.pending.delete(p),
      () => this.pending.delete(p),
    );
    return p;
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

/** Holds a result until `ms` after `since` on the clock. */
async function at<T>(clock: Clock, since: number, ms: number, value: T, signal?: AbortSignal): Promise<T> {
  const left = since + ms - clock.now();
  if (left > 0) await clock.sleep(left, signal);
  return value;
}

/** Any STT, answering at the fixed STT latency on the benchmark's clock. */
export function timedStt(inner: SttProvider, clock: Clock, work: RealWork): SttProvider {
  return {
    ...inner,
    async transcribe(req) {
      const since = clock.now();
      const result = await work.track(inner.transcribe(req));
      return at(clock, since, LATENCY.sttMs, result, req.signal);
    },
  };
}

/** The identity of a provider that lives in the benchmark's process. */
export function inProcess<R extends 'llm' | 'stt' | 'tts'>(role: R, type: string) {
  return { role, type, baseUrl: 'bench:', health: async () => ({ ok: true, latencyMs: 0 }) };
}

/** The scripted language model: `answer` in small tokens, first token and per-token delays on the clock. */
export function scriptedLlm(answer: string, lang: Lang, clock: Clock): LlmProvider {
  const tokens = lang === 'ja' ? (answer.match(/.{1,2}/gsu) ?? []) : (answer.match(/\S+\s*/g) ?? []).map((t, i) => (i > 0 ? ` ${t.trimEnd()}` : t.trimEnd()));
  return {
    ...inProcess('llm', 'bench-script'),
    async *stream(req): AsyncIterable<LlmChunk> {
      await clock.sleep(LATENCY.llmFirstTokenMs, req.signal);
      for (const [i, text] of tokens.entries()) {
        if (i > 0) await clock.sleep(LATENCY.llmPerTokenMs, req.signal);
        yield { type: 'text', text };
      }
    },
  };
}

/** Real synthesis (Open JTalk for Japanese, espeak-ng for English), delivered at the TTS latency. */
export function synthTts(clock: Clock, work: RealWork): TtsProvider {
  return {
    ...inProcess('tts', 'bench-synth'),
    async *synthesize(req): AsyncIterable<TtsChunk> {
      const since = clock.now();
      const clip = await work.track(speech(/[\u3040-\u30ff\u4e00-\u9fff]/u.test(req.text) ? 'ja' : 'en', req.text));
      yield await at(clock, since, LATENCY.ttsMs, { sampleRate: RATE, pcm: clip.pcm }, req.signal);
    },
  };
}
