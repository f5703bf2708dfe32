import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiAudioStandin } from '@va/standins';
import { createTts } from '../registry.ts';
import { rampPcm, startAudioScript } from '../testing/audio-script.ts';
import type { AudioScriptServer } from '../testing/audio-script.ts';
import { drain, expectProviderError } from '../testing/contracts/common.ts';
import { ttsContract } from '../testing/contracts/tts-contract.ts';

ttsContract('scripted Kokoro/speaches pcm', { type: 'openai-tts', model: 'kokoro', start: () => startAudioScript(), sampleRate: 24000 });
ttsContract('scripted speaches pcm at 22050', {
  type: 'openai-tts',
  model: 'speaches-ai/piper-en_US-amy-low',
  options: { sample_rate: 22050 },
  start: async () => Object.assign(await startAudioScript(), { pcmSampleRate: 22050 }),
  sampleRate: 22050,
});
ttsContract('@va/standins Kokoro (espeak-ng)', {
  type: 'openai-tts',
  model: 'kokoro',
  start: () => startOpenAiAudioStandin({ port: 0, flavour: 'kokoro' }),
  sampleRate: 24000,
});

describe('openai-tts wire details (scripted)', () => {
  let s: AudioScriptServer;
  beforeAll(async () => {
    s = await startAudioScript();
  });
  afterAll(() => s.close());

  it('sends model/input/voice/response_format pcm/speed, and reassembles odd splits exactly', async () => {
    s.requests.length = 0;
    s.writeSizes = [3, 1, 1, 7, 2000, 5];
    const tts = createTts({ type: 'openai-tts', base_url: s.url, model: 'kokoro', options: { voice: 'af_bella', speed: 1.2 } });
    const chunks = await drain(tts.synthesize({ text: 'Hello there.', signal: new AbortController().signal }));
    expect(JSON.parse(s.work()[0]!.body.toString())).toEqual({ model: 'kokoro', input: 'Hello there.', voice: 'af_bella', response_format: 'pcm', speed: 1.2 });
    expect(Array.from(Int16Array.from(chunks.flatMap((c) => Array.from(c.pcm))))).toEqual(Array.from(rampPcm(4800)));
  });

  it('request_sample_rate sends the configured rate (speaches)', async () => {
    s.requests.length = 0;
    const tts = createTts({ type: 'openai-tts', base_url: s.url, model: 'm', options: { sample_rate: 16000, request_sample_rate: true } });
    await drain(tts.synthesize({ text: 'Hi.', signal: new AbortController().signal })).catch(() => undefined);
    expect(JSON.parse(s.work()[0]!.body.toString())).toMatchObject({ sample_rate: 16000 });
  });

  it('speaches 403 for a wrong key -> unauthorized', async () => {
    s.apiKey = 'a';
    try {
      const tts = createTts({ type: 'openai-tts', base_url: s.url, model: 'm', api_key: 'b' });
      await expectProviderError(drain(tts.synthesize({ text: 'Hi.', signal: new AbortController().signal })), 'unauthorized', { status: 403 });
    } finally {
      s.apiKey = null;
    }
  });
});
