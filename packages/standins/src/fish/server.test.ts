import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { startForSuite } from '@va/testkit/suite';
import { resample } from '../audio/resample.ts';
import { decodeWav, encodeWav, float32ToPcm16, pcm16ToFloat32, pcmFromBytes } from '@va/pipeline';
import { startWhisperStandin } from '../whisper/server.ts';
import { startFishSpeechStandin } from './server.ts';
import type { FishSpeechStandin } from './server.ts';

const rms = (x: Int16Array): number => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / Math.max(1, x.length));

describe('Fish Speech stand-in', () => {
  let fish: FishSpeechStandin;
  startForSuite(() => startFishSpeechStandin({ port: 0 }), (s) => (fish = s));
  const tts = (body: unknown, type = 'application/json'): Promise<Response> =>
    fetch(`${fish.url}/v1/tts`, {
      method: 'POST',
      headers: { 'Content-Type': type },
      body: type === 'application/msgpack' ? pack(body) : JSON.stringify(body),
    });

  it('streams headerless 44.1 kHz s16le speech that the whisper stand-in understands', async () => {
    const res = await tts({ text: 'hello world', streaming: true, format: 'wav', reference_id: 'nobody', model: 'x' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(res.headers.get('content-length')).toBeNull();
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 4).toString('ascii')).not.toBe('RIFF');
    const pcm = pcmFromBytes(bytes);
    const seconds = pcm.length / 44_100;
    expect(seconds).toBeGreaterThan(0.5);
    expect(seconds).toBeLessThan(3);
    expect(rms(pcm)).toBeGreaterThan(500);

    const whisper = await startWhisperStandin({ port: 0 });
    try {
      const pcm16 = float32ToPcm16(resample(pcm16ToFloat32(pcm), 44_100, 16_000));
      const fd = new FormData();
      fd.append('file', new Blob([encodeWav(pcm16, 16_000)]), 'a.wav');
      const { text } = (await (await fetch(`${whisper.url}/inference`, { method: 'POST', body: fd })).json()) as { text: string };
      const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
      expect(words.some((w) => w === 'hello' || w === 'world')).toBe(true);
    } finally {
      await whisper.close();
    }
  });

  it('speaks Japanese with Open JTalk (natural rate) and English with espeak-ng', async () => {
    const before = fish.stats();
    const text = '大人の入園料は 800 円、中学生以下は無料です。';
    const res = await tts({ text, streaming: true, format: 'wav' });
    expect(res.status).toBe(200);
    const pcm = pcmFromBytes(new Uint8Array(await res.arrayBuffer()));
    const secondsPerChar = pcm.length / 44_100 / [...text].length;
    expect(secondsPerChar).toBeGreaterThan(0.1);
    expect(secondsPerChar).toBeLessThanOrEqual(0.3);
    expect(rms(pcm)).toBeGreaterThan(500);
    const mid = fish.stats();
    expect([mid['openJTalkRuns']! - before['openJTalkRuns']!, mid['espeakRuns']! - before['espeakRuns']!]).toEqual([1, 0]);
    await (await tts({ text: 'Your order is ready.', streaming: true })).arrayBuffer();
    const after = fish.stats();
    expect([after['openJTalkRuns']! - mid['openJTalkRuns']!, after['espeakRuns']! - mid['espeakRuns']!]).toEqual([0, 1]);
  });

  it('non-streaming wav is a real RIFF file; msgpack bodies work; mp3 works; pcm fails like the real server', async () => {
    const wav = await tts({ text: 'Your order is ready.' }, 'application/msgpack');
    expect(wav.status).toBe(200);
    expect(wav.headers.get('content-disposition')).toBe('attachment; filename=audio.wav');
    const audio = decodeWav(Buffer.from(await wav.arrayBuffer()));
    expect(audio.sampleRate).toBe(44_100);
    expect(audio.pcm.length / 44_100).toBeGreaterThan(0.7);
    const mp3 = await tts({ text: 'Your order is ready.', format: 'mp3' });
    expect(mp3.headers.get('content-type')).toBe('audio/mpeg');
    const mp3Bytes = Buffer.from(await mp3.arrayBuffer());
    expect(mp3Bytes[0]).toBe(0xff); // MPEG frame sync
    const pcm = await tts({ text: 'hi', format: 'pcm' });
    expect([pcm.status, ((await pcm.json()) as { message: string }).message]).toEqual([500, 'Failed to generate speech']);
  });

  it('reproduces validation and media-type errors', async () => {
    let r = await tts({ text: 'hi' }, 'text/plain');
    expect(r.status).toBe(415);
    r = await tts({ text: 'hi', streaming: true, format: 'mp3' });
    expect(await r.json()).toEqual({ statusCode: 400, message: 'Streaming only supports WAV format', error: 'Bad Request' });
    r = await tts({ text: 'hi', top_p: 5, temperature: '0.5', chunk_length: 5000 });
    expect(r.status).toBe(422);
    const errs = (await r.json()) as Array<{ loc: string[] }>;
    expect(errs.map((e) => e.loc.at(-1)).sort()).toEqual(['temperature', 'top_p']);
  });

  it('delays the single burst by firstByteMs + msPerChar and supports an API key', async () => {
    const slow = await startFishSpeechStandin({ port: 0, firstByteMs: 300, msPerChar: 10, apiKey: 'k' });
    try {
      expect((await fetch(`${slow.url}/v1/health`)).status).toBe(401);
      const bad = await fetch(`${slow.url}/v1/health`, { headers: { Authorization: 'Bearer nope' } });
      expect([bad.status, ((await bad.json()) as { message: string }).message]).toEqual([401, 'Invalid token']);
      const auth = { Authorization: 'Bearer k', 'Content-Type': 'application/json' };
      expect(await (await fetch(`${slow.url}/v1/health`, { headers: auth })).json()).toEqual({ status: 'ok' });
      const t0 = performance.now();
      const res = await fetch(`${slow.url}/v1/tts`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ text: 'Ten chars!', streaming: true }),
      });
      const headersAt = performance.now() - t0;
      const reader = res.body!.getReader();
      const first = await reader.read();
      const firstByteAt = performance.now() - t0;
      expect(first.value!.length).toBeGreaterThan(0);
      // the headers go out at once, the audio only after the whole text is rendered
      expect(firstByteAt).toBeGreaterThanOrEqual(390);
      expect(firstByteAt - headersAt).toBeGreaterThanOrEqual(100);
      await reader.cancel();
    } finally {
      await slow.close();
    }
  });

  it('health hangs during synthesis in blocking mode; cut and hang faults', async () => {
    fish.setBlockHealthDuringSynthesis(true);
    fish.setFault({ kind: 'slow', extraMs: 600, times: 1 });
    const synth = tts({ text: 'a long sentence to keep the server busy', streaming: true });
    await new Promise((r) => setTimeout(r, 100));
    const health = await fetch(`${fish.url}/v1/health`, { signal: AbortSignal.timeout(300) }).then(
      () => 'answered',
      () => 'timed out',
    );
    expect(health).toBe('timed out');
    await (await synth).arrayBuffer();
    fish.setBlockHealthDuringSynthesis(false);

    fish.setFault({ kind: 'cut', times: 1 });
    const cut = await tts({ text: 'hello there', streaming: true });
    await expect(cut.arrayBuffer()).rejects.toThrow();

    fish.setFault({ kind: 'hang' });
    const hung = await fetch(`${fish.url}/v1/tts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"text":"x"}',
      signal: AbortSignal.timeout(300),
    }).then(() => 'answered', () => 'aborted');
    expect(hung).toBe('aborted');
    fish.setFault(null);
    expect(fish.stats().faultsInjected).toBeGreaterThanOrEqual(3);
  });
});
