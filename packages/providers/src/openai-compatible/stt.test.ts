import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiAudioStandin } from '@va/standins';
import { createStt } from '../registry.ts';
import { startAudioScript } from '../testing/audio-script.ts';
import type { AudioScriptServer } from '../testing/audio-script.ts';
import { expectProviderError, tone } from '../testing/contracts/common.ts';
import { sttContract } from '../testing/contracts/stt-contract.ts';
import { goForward } from '@va/testkit';
import { parseForm } from '../testing/scripted-server.ts';

const speech = goForward().pcm;
sttContract('scripted speaches (wav)', { type: 'openai-stt', model: 'Systran/faster-whisper-small', start: () => startAudioScript(), sample: { pcm: speech, expect: /left/i } });
sttContract('scripted speaches (pcm)', {
  type: 'openai-stt',
  model: 'Systran/faster-whisper-small',
  options: { upload_format: 'pcm' },
  start: () => startAudioScript(),
  sample: { pcm: speech, expect: /left/i },
});
sttContract('@va/standins speaches (pcm upload, goforward.raw)', {
  type: 'openai-stt',
  model: 'Systran/faster-whisper-small',
  options: { upload_format: 'pcm' },
  start: () => startOpenAiAudioStandin({ port: 0 }),
  sample: { pcm: speech, expect: /forward/i },
});

describe('openai-stt wire details (scripted)', () => {
  let s: AudioScriptServer;
  beforeAll(async () => {
    s = await startAudioScript();
  });
  afterAll(() => s.close());
  const signal = () => new AbortController().signal;

  it('sends file + model + language + response_format; pcm part is audio/pcm raw samples', async () => {
    s.requests.length = 0;
    const pcm = tone(0.25);
    await createStt({ type: 'openai-stt', base_url: s.url, model: 'whisper-1', options: { upload_format: 'pcm' } }).transcribe({ pcm, signal: signal() });
    expect(s.lastUpload).toEqual({
      contentType: 'audio/pcm',
      filename: 'audio.pcm',
      samples: pcm.length,
      fields: { model: 'whisper-1', response_format: 'json', language: 'en' },
    });
    const form = await parseForm(s.work()[0]!);
    const bytes = new Uint8Array(await (form.get('file') as File).arrayBuffer());
    expect(new DataView(bytes.buffer, bytes.byteOffset).getInt16(20, true)).toBe(pcm[10]);
  });

  it('wav upload; `auto` language omits the field; bearer key', async () => {
    s.apiKey = 'sekrit';
    try {
      const stt = createStt({ type: 'openai-stt', base_url: s.url, model: 'whisper-1', api_key: 'sekrit', options: { language: 'auto' } });
      await stt.transcribe({ pcm: tone(0.25), signal: signal() });
      expect(s.lastUpload).toMatchObject({ contentType: 'audio/wav', samples: 4000, fields: { model: 'whisper-1', response_format: 'json' } });
      expect(s.lastUpload?.fields.language).toBeUndefined();
      const bad = createStt({ type: 'openai-stt', base_url: s.url, model: 'whisper-1', api_key: 'wrong' });
      await expectProviderError(bad.transcribe({ pcm: tone(0.1), signal: signal() }), 'unauthorized', { status: 403, retryable: false });
    } finally {
      s.apiKey = null;
    }
  });

  it('requires a model in config', () => {
    expect(() => createStt({ type: 'openai-stt', base_url: s.url })).toThrow(/model/);
  });
});
