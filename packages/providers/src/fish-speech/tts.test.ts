import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFishSpeechStandin } from '@va/standins';
import { createTts } from '../registry.ts';
import { rampPcm } from '../testing/audio-script.ts';
import { drain, expectProviderError } from '../testing/contracts/common.ts';
import { ttsContract } from '../testing/contracts/tts-contract.ts';
import { FISH_RATE, startFishScript } from '../testing/fish-script.ts';
import type { FishScriptServer } from '../testing/fish-script.ts';

ttsContract('scripted Fish Speech', { type: 'fish-speech', start: () => startFishScript(), sampleRate: 44100 });
ttsContract('scripted Fish Speech with API key', {
  type: 'fish-speech',
  apiKey: 'k',
  start: async () => Object.assign(await startFishScript(), { apiKey: 'k' }),
  sampleRate: 44100,
});
ttsContract('@va/standins Fish Speech (espeak-ng)', { type: 'fish-speech', start: () => startFishSpeechStandin({ port: 0 }), sampleRate: 44100 });

describe('fish-speech wire details (scripted)', () => {
  let s: FishScriptServer;
  beforeAll(async () => {
    s = await startFishScript();
  });
  afterAll(() => s.close());
  const tts = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
    createTts({ type: 'fish-speech', base_url: s.url, options, ...extra });
  const req = (text = 'Your order is ready.') => ({ text, signal: new AbortController().signal });

  it('sends the documented JSON body, with memory cache for a reference voice and a bearer key', async () => {
    s.requests.length = 0;
    s.apiKey = 'key1';
    try {
      await drain(tts({ reference_id: 'front-desk', temperature: 0.7, top_p: '0.7' }, { api_key: 'key1' }).synthesize(req()));
      const r = s.work()[0]!;
      expect(r.headers.authorization).toBe('Bearer key1');
      expect(r.headers['content-type']).toBe('application/json');
      expect(JSON.parse(r.body.toString())).toEqual({
        text: 'Your order is ready.',
        format: 'wav',
        streaming: true,
        reference_id: 'front-desk',
        use_memory_cache: 'on',
        temperature: 0.7,
        top_p: 0.7,
      });
      expect(s.requests.every((x) => x.headers.authorization === 'Bearer key1')).toBe(true);
      expect((await tts({}, { api_key: 'key1' }).health()).ok).toBe(true);
      expect(s.requests.at(-1)?.headers.authorization).toBe('Bearer key1');
    } finally {
      s.apiKey = null;
    }
  });

  it('reassembles headerless PCM split at odd byte boundaries exactly', async () => {
    s.writeSizes = [1, 1, 3, 5, 7, 2, 1, 1001, 3];
    const chunks = await drain(tts().synthesize(req()));
    const all = Int16Array.from(chunks.flatMap((c) => Array.from(c.pcm)));
    expect(Array.from(all)).toEqual(Array.from(rampPcm(s.samples)));
    expect(chunks.length).toBeGreaterThan(3); // yielded as bytes arrived, not buffered
  });

  it('non-streaming mode parses the RIFF body', async () => {
    const chunks = await drain(tts({ streaming: false }).synthesize(req()));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.sampleRate).toBe(FISH_RATE);
    expect(Array.from(chunks[0]!.pcm)).toEqual(Array.from(rampPcm(s.samples)));
    expect(JSON.parse(s.work().at(-1)!.body.toString()).streaming).toBe(false);
  });

  it('200 then zero or too few bytes ("No audio generated") -> bad_response', async () => {
    for (const n of [0, 10]) {
      s.samples = n;
      try {
        await expectProviderError(drain(tts().synthesize(req())), 'bad_response', { retryable: false });
      } finally {
        s.samples = 4410;
      }
    }
  });

  it('first_byte_ms covers the wait for the first audio byte, not just the headers', async () => {
    s.firstAudioMs = 600;
    try {
      await expectProviderError(drain(createTts({ type: 'fish-speech', base_url: s.url, timeouts: { first_byte_ms: 200 } }).synthesize(req())), 'timeout');
    } finally {
      s.firstAudioMs = 5;
    }
  });

  it('surfaces Fish error bodies: 400 {statusCode,message}, 401 Invalid token, 422 array', async () => {
    s.maxTextLength = 5;
    try {
      const e = await expectProviderError(drain(tts().synthesize(req())), 'bad_request', { status: 400, retryable: false });
      expect(e.message).toContain('Text is too long, max length is 5');
    } finally {
      s.maxTextLength = 0;
    }
    s.apiKey = 'right';
    try {
      const e = await expectProviderError(drain(tts({}, { api_key: 'wrong' }).synthesize(req())), 'unauthorized', { status: 401, retryable: false });
      expect(e.message).toContain('Invalid token');
      expect(await tts({}, { api_key: 'wrong' }).health()).toMatchObject({ ok: false, detail: 'http_401' });
    } finally {
      s.apiKey = null;
    }
    // the 422 body as pydantic sends it (our option schema keeps values in range, so post it directly)
    const res = await fetch(`${s.url}/v1/tts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x', top_p: 5 }) });
    const { errorMessageFromBody } = await import('../http/errors.ts');
    expect(res.status).toBe(422);
    expect(errorMessageFromBody(await res.text())).toBe('body.top_p: Input should be less than or equal to 1');
  });

  it('rejects out-of-range and unknown options at construction', () => {
    expect(() => tts({ top_p: 5 })).toThrow(/top_p/);
    expect(() => tts({ voice: 'x' })).toThrow(/voice/);
  });
});

describe('fish-speech options are what the server accepts', () => {
  const make = (options: Record<string, unknown>) => () => createTts({ type: 'fish-speech', base_url: 'http://127.0.0.1:9', options });
  it('repetition_penalty must stay below 2 (the generator asserts < 2 after a 200)', () => {
    expect(make({ repetition_penalty: 2 })).toThrow(/repetition_penalty/);
    expect(make({ repetition_penalty: '1.99' })).not.toThrow();
  });
  it('voice ids follow the S2 pattern ^[A-Za-z0-9_ -]+$', () => {
    expect(make({ reference_id: 'my voice_1-a' })).not.toThrow();
    for (const bad of ['../etc', 'さくら', 'a/b', 'x.wav']) expect(make({ reference_id: bad }), bad).toThrow(/reference_id/);
    expect(make({ reference_id: '' })).not.toThrow();
  });
});
