import { Agent, request } from 'node:http';
import { encodeWav } from '@va/pipeline';
import { goForward } from '@va/testkit';
import { describe, expect, it } from 'vitest';
import { startEmbeddingStandin } from './embedding/server.ts';
import { standinsConfigFromEnv } from './env-config.ts';
import { startFishSpeechStandin } from './fish/server.ts';
import { OBSERVED_BEHAVIOURS } from './observed.ts';
import { startWhisperStandin } from './whisper/server.ts';

/** Real servers' observed behaviours, each pinned (provider-apis.md, "Observed on real servers, 2026-12"). */

/** Times small POSTs on one pooled keep-alive connection (the first one opens it and is not counted). */
async function pooledMs(url: string, path: string, body: string, n: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(url);
  const once = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = request({ host: hostname, port, method: 'POST', path, agent, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - t0));
      });
      req.on('error', reject);
      req.end(body);
    });
  const out: number[] = [];
  try {
    for (let i = 0; i <= n; i++) out.push(await once());
  } finally {
    agent.destroy();
  }
  return out.slice(1).sort((a, b) => a - b);
}

describe('no TCP_NODELAY (cpp-httplib): a small response on a reused connection waits for the delayed ACK', () => {
  it('stalls ~40 ms on every pooled request with nagle on', async () => {
    const body = JSON.stringify({ input: 'hello' });
    const nagle = await startEmbeddingStandin({ port: 0, nagle: true });
    const plain = await startEmbeddingStandin({ port: 0 });
    try {
      const slow = await pooledMs(nagle.url, '/v1/embeddings', body, 9);
      const fast = await pooledMs(plain.url, '/v1/embeddings', body, 9);
      const median = (xs: number[]): number => xs[Math.floor(xs.length / 2)]!;
      console.log(`pooled embedding request median: nagle ${median(slow).toFixed(1)} ms, TCP_NODELAY ${median(fast).toFixed(1)} ms`);
      // every pooled request waits for the client's delayed ACK (~40 ms), not just some
      expect(slow[0]!).toBeGreaterThanOrEqual(30);
    } finally {
      await Promise.all([nagle.close(), plain.close()]);
    }
  });
});

describe('llama-server embeddings: an input over the physical batch is a 500', () => {
  it('answers 500 "input is too large to process" for more than batchTokens, 200 below', async () => {
    const e = await startEmbeddingStandin({ port: 0, batchTokens: 512 });
    try {
      const post = (input: string): Promise<Response> => fetch(`${e.url}/v1/embeddings`, { method: 'POST', body: JSON.stringify({ input }) });
      const long = await post(Array.from({ length: 600 }, (_, i) => `w${i}`).join(' '));
      expect(long.status).toBe(500);
      expect(await long.json()).toEqual({ error: { code: 500, message: 'input is too large to process. increase the physical batch size', type: 'server_error' } });
      expect((await post('大人の入園料は 800 円です。')).status).toBe(200);
    } finally {
      await e.close();
    }
  });
});

describe('whisper-server notices an abort only at its next checkpoint', () => {
  it('keeps the single worker busy after a client abort, so the next request waits', async () => {
    const whisper = await startWhisperStandin({ port: 0, latencyMs: 200, abortCheckpointMs: 1000 });
    try {
      const form = (): FormData => {
        const fd = new FormData();
        fd.append('file', new Blob([encodeWav(goForward().pcm.subarray(0, 16_000), 16_000)]), 'a.wav');
        return fd;
      };
      expect((await fetch(`${whisper.url}/inference`, { method: 'POST', body: form() })).status).toBe(200); // warm
      const ctl = new AbortController();
      const aborted = fetch(`${whisper.url}/inference`, { method: 'POST', body: form(), signal: ctl.signal }).catch(() => 'aborted');
      await new Promise((r) => setTimeout(r, 50));
      ctl.abort();
      expect(await aborted).toBe('aborted');
      const t0 = performance.now();
      const next = await fetch(`${whisper.url}/inference`, { method: 'POST', body: form() });
      const ms = performance.now() - t0;
      expect(next.status).toBe(200);
      console.log(`request after an aborted one: ${ms.toFixed(0)} ms (latency 200 ms, checkpoint 1000 ms)`);
      expect(ms).toBeGreaterThanOrEqual(700);
      expect(whisper.stats()['lateAborts']).toBe(1);
    } finally {
      await whisper.close();
    }
  });
});

describe('Fish Speech: uncancellable generation, cut on failure, S2 voice ids', () => {
  const tts = (url: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> =>
    fetch(`${url}/v1/tts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });

  it('a cancelled request keeps the generation busy until its text is done; the next request waits', async () => {
    const fish = await startFishSpeechStandin({ port: 0, msPerChar: 40, uncancellable: true });
    try {
      const ctl = new AbortController();
      const long = 'The abandoned answer is a long sentence that nobody will hear.'; // 62 chars: ~2.5 s
      const first = await tts(fish.url, { text: long, streaming: true }, ctl.signal);
      ctl.abort();
      await first.arrayBuffer().catch(() => undefined);
      const t0 = performance.now();
      const next = await tts(fish.url, { text: 'Hi.', streaming: true });
      await next.arrayBuffer();
      const ms = performance.now() - t0;
      console.log(`answer after a barge-in: ${ms.toFixed(0)} ms behind the abandoned synthesis`);
      expect(ms).toBeGreaterThanOrEqual(1500);
      expect(fish.stats()['abandoned']).toBe(1);
    } finally {
      await fish.close();
    }
  });

  it('repetition_penalty 2 passes the schema and fails in generation: streaming 200 then a cut, non-streaming 500', async () => {
    const real = await startFishSpeechStandin({ port: 0, realFailures: true });
    const lenient = await startFishSpeechStandin({ port: 0 });
    try {
      const cut = await tts(real.url, { text: 'Hello.', streaming: true, repetition_penalty: 2 });
      expect(cut.status).toBe(200);
      await expect(cut.arrayBuffer()).rejects.toThrow();
      expect((await tts(real.url, { text: 'Hello.', repetition_penalty: 2 })).status).toBe(500);
      expect((await tts(real.url, { text: 'Hello.', repetition_penalty: 1.9, streaming: true })).status).toBe(200);
      const clean = await tts(lenient.url, { text: 'Hello.', streaming: true, repetition_penalty: 2 });
      expect((await clean.arrayBuffer()).byteLength).toBeGreaterThan(0);
    } finally {
      await Promise.all([real.close(), lenient.close()]);
    }
  });

  it('S2 accepts only voice ids matching ^[A-Za-z0-9_ -]+$', async () => {
    const s2 = await startFishSpeechStandin({ port: 0, voiceIds: 's2' });
    try {
      const bad = await tts(s2.url, { text: 'Hello.', reference_id: 'voices/ja.wav' });
      expect(bad.status).toBe(422);
      expect(await bad.json()).toEqual([expect.objectContaining({ type: 'string_pattern_mismatch', loc: ['body', 'reference_id'] })]);
      expect((await tts(s2.url, { text: 'Hello.', reference_id: 'my voice_1-ja' })).status).toBe(200);
    } finally {
      await s2.close();
    }
  });
});

describe('switches', () => {
  it('STANDIN_OBSERVED=1 turns every observed behaviour on; each has its own variable', () => {
    const on = standinsConfigFromEnv({ STANDIN_OBSERVED: '1' });
    expect(on.llm).toMatchObject(OBSERVED_BEHAVIOURS.llm);
    expect(on.stt).toMatchObject(OBSERVED_BEHAVIOURS.stt);
    expect(on.tts).toMatchObject(OBSERVED_BEHAVIOURS.tts);
    expect(on.embedding).toMatchObject(OBSERVED_BEHAVIOURS.embedding);
    const mixed = standinsConfigFromEnv({ STANDIN_OBSERVED: '1', STANDIN_LLM_NAGLE: '0', STANDIN_LLM_CONTEXT_SHIFT: '0', STANDIN_TTS_VOICE_IDS: 's2', STANDIN_STT_ABORT_CHECKPOINT_MS: '0' });
    expect(mixed.llm).toMatchObject({ flavour: 'llama.cpp', contextShift: false });
    expect(mixed.llm).not.toHaveProperty('nagle');
    expect(mixed.tts).toMatchObject({ voiceIds: 's2', uncancellable: true });
    expect(mixed.stt).toMatchObject({ abortCheckpointMs: 0 });
    expect(standinsConfigFromEnv({}).llm).not.toHaveProperty('flavour');
    expect(() => standinsConfigFromEnv({ STANDIN_LLM_FLAVOUR: 'ollama' })).toThrow(/STANDIN_LLM_FLAVOUR must be one of vllm, llama.cpp/);
  });
});
