import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pcmFromBytes, pcmToBytes } from '@va/pipeline';
import { goForward } from '@va/testkit';
import { startOpenAiAudioStandin } from './server.ts';
import type { RunningStandin } from '../common/standin-server.ts';

const RAW = pcmToBytes(goForward().pcm);

describe('OpenAI-style audio stand-in', () => {
  let s: RunningStandin;
  beforeAll(async () => {
    s = await startOpenAiAudioStandin({ port: 0, apiKey: 'k' });
  });
  afterAll(async () => {
    await s.close();
  });
  const auth = { Authorization: 'Bearer k' };

  it('transcribes a raw audio/pcm 16 kHz upload (speaches)', async () => {
    const fd = new FormData();
    fd.append('file', new Blob([RAW], { type: 'audio/pcm' }), 'a.pcm');
    fd.append('model', 'whisper-1');
    const r = await fetch(`${s.url}/v1/audio/transcriptions`, { method: 'POST', headers: auth, body: fd });
    expect(r.status).toBe(200);
    const { text } = (await r.json()) as { text: string };
    expect(text.toLowerCase()).toContain('go forward');
    const noModel = new FormData();
    noModel.append('file', new Blob([RAW], { type: 'audio/pcm' }), 'a.pcm');
    expect((await fetch(`${s.url}/v1/audio/transcriptions`, { method: 'POST', headers: auth, body: noModel })).status).toBe(422);
  });

  it('speech as headerless pcm at 24 kHz, streamed; 403 without the key; health open', async () => {
    expect(await (await fetch(`${s.url}/health`)).json()).toEqual({ message: 'OK' });
    const body = JSON.stringify({ model: 'kokoro', input: 'Hello there. How are you today?', voice: 'af_heart', response_format: 'pcm' });
    expect((await fetch(`${s.url}/v1/audio/speech`, { method: 'POST', body })).status).toBe(403);
    const r = await fetch(`${s.url}/v1/audio/speech`, { method: 'POST', headers: auth, body });
    expect(r.headers.get('x-accel-buffering')).toBe('no');
    const pcm = pcmFromBytes(Buffer.from(await r.arrayBuffer()));
    expect(pcm.length / 24_000).toBeGreaterThan(1);
    expect(pcm.length / 24_000).toBeLessThan(5);
  });

  it('speaks Japanese input with Open JTalk', async () => {
    const text = '中学生以下は無料です。';
    const body = JSON.stringify({ model: 'kokoro', input: text, voice: 'jf_alpha', response_format: 'pcm' });
    const r = await fetch(`${s.url}/v1/audio/speech`, { method: 'POST', headers: auth, body });
    const pcm = pcmFromBytes(new Uint8Array(await r.arrayBuffer()));
    expect(pcm.length / 24_000 / text.length).toBeGreaterThan(0.1);
    expect(pcm.length / 24_000 / text.length).toBeLessThanOrEqual(0.3);
  });

  it('kokoro flavour rejects unknown models with 400', async () => {
    const k = await startOpenAiAudioStandin({ port: 0, flavour: 'kokoro' });
    try {
      expect(await (await fetch(`${k.url}/health`)).json()).toEqual({ status: 'healthy' });
      const r = await fetch(`${k.url}/v1/audio/speech`, { method: 'POST', body: JSON.stringify({ model: 'nope', input: 'hi', voice: 'x' }) });
      expect(r.status).toBe(400);
    } finally {
      await k.close();
    }
  });
});
