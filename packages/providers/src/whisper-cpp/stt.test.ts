import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWhisperStandin } from '@va/standins';
import { createStt } from '../registry.ts';
import { expectProviderError, tone } from '../testing/contracts/common.ts';
import { sttContract } from '../testing/contracts/stt-contract.ts';
import { goForward } from '@va/testkit';
import { parseForm } from '../testing/scripted-server.ts';
import { startWhisperScript } from '../testing/whisper-script.ts';
import type { WhisperScriptServer } from '../testing/whisper-script.ts';

const speech = goForward().pcm;
sttContract('scripted whisper.cpp', { type: 'whisper-cpp', start: () => startWhisperScript(), sample: { pcm: speech, expect: /forward/i } });
sttContract('@va/standins whisper (pocketsphinx on goforward.raw)', {
  type: 'whisper-cpp',
  start: () => startWhisperStandin({ port: 0 }),
  sample: { pcm: speech, expect: /forward/i },
});

describe('whisper-cpp wire details (scripted)', () => {
  let s: WhisperScriptServer;
  beforeAll(async () => {
    s = await startWhisperScript({ inferencePath: '/v1/audio/transcriptions' });
  });
  afterAll(() => s.close());
  const stt = (options: Record<string, unknown> = {}) =>
    createStt({ type: 'whisper-cpp', base_url: s.url, options: { inference_path: '/v1/audio/transcriptions', ...options } });
  const signal = () => new AbortController().signal;

  it('uploads a 16 kHz mono 16-bit WAV with the documented fields', async () => {
    s.requests.length = 0;
    const pcm = tone(0.5);
    expect(await stt().transcribe({ pcm, signal: signal(), prompt: 'meters' })).toEqual({ text: 'Go forward ten meters.' });
    const form = await parseForm(s.work()[0]!);
    const file = form.get('file') as File;
    expect(file.name).toBe('audio.wav');
    const bytes = new Uint8Array(await file.arrayBuffer());
    const v = new DataView(bytes.buffer, bytes.byteOffset);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('RIFF');
    expect(v.getUint16(20, true)).toBe(1); // PCM
    expect(v.getUint16(22, true)).toBe(1); // mono
    expect(v.getUint32(24, true)).toBe(16000);
    expect(v.getUint16(34, true)).toBe(16);
    expect(v.getUint32(40, true)).toBe(pcm.length * 2);
    expect(v.getInt16(44 + 2 * 100, true)).toBe(pcm[100]);
    expect(s.lastUpload?.fields).toEqual({ response_format: 'json', temperature: '0', language: 'en', no_language_probabilities: 'true', prompt: 'meters' });
  });

  it('request language wins over the option; `auto` is passed through', async () => {
    await stt({ language: 'auto' }).transcribe({ pcm: tone(0.1), signal: signal() });
    expect(s.lastUpload?.fields.language).toBe('auto');
    await stt({ language: 'auto' }).transcribe({ pcm: tone(0.1), signal: signal(), language: 'ja' });
    expect(s.lastUpload?.fields.language).toBe('ja');
  });

  it('old builds: HTTP 200 + {"error"} is a non-retryable failure', async () => {
    s.oldBuildError = "no 'file' field in the request";
    s.requests.length = 0;
    try {
      const e = await expectProviderError(stt().transcribe({ pcm: tone(0.1), signal: signal() }), 'bad_request', { retryable: false, status: 200 });
      expect(e.message).toContain("no 'file' field");
      expect(s.work()).toHaveLength(1);
    } finally {
      s.oldBuildError = null;
    }
  });

  it('text/plain 400 "Invalid request" -> bad_request; 500 JSON -> server_error, not retried', async () => {
    s.setFault({ kind: 'status', status: 400, times: 1 });
    const e = await expectProviderError(stt().transcribe({ pcm: tone(0.1), signal: signal() }), 'bad_request', { status: 400 });
    expect(e.message).toContain('Invalid request');
    s.requests.length = 0;
    s.setFault({ kind: 'status', status: 500, times: 1 });
    const e2 = await expectProviderError(stt().transcribe({ pcm: tone(0.1), signal: signal() }), 'server_error', { retryable: false, status: 500 });
    expect(e2.message).toContain('failed to process audio');
    expect(s.work()).toHaveLength(1);
  });

  it('a wrong inference_path gives 404 File Not Found -> unavailable (same wire as a model reload)', async () => {
    const e = await expectProviderError(stt({ inference_path: '/nope', retries: 0 }).transcribe({ pcm: tone(0.1), signal: signal() }), 'unavailable', { status: 404 });
    expect(e.message).toContain('File Not Found (/nope)');
  });

  it('health: 404 during /load is not ready', async () => {
    s.healthStatus = 404;
    expect(await stt().health()).toMatchObject({ ok: false, detail: 'http_404' });
    s.healthStatus = 200;
    expect(await stt().health()).toMatchObject({ ok: true });
  });

  it('rejects unknown options by name', () => {
    expect(() => stt({ langauge: 'en' })).toThrow(/langauge/);
  });
});
