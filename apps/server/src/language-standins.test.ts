import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@va/protocol';
import { VoiceClient } from '@va/testkit';
import { startTestApp, TEST_TOKEN, type TestApp } from './test/start-app.ts';

/** On the embedded stand-ins the STT is pocketsphinx (English only): the page and /health are told. */
describe('Japanese on the embedded stand-ins', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  }, 120_000);
  afterAll(async () => app?.stop());

  it('ready: language ja, voice_input says ja is not understood; /health warns stt_no_japanese', async () => {
    const c = await VoiceClient.connect(app.url, 'ja-standins', TEST_TOKEN, { hello: false });
    c.send({ type: 'hello', protocol_version: PROTOCOL_VERSION, token: TEST_TOKEN, language: 'ja-JP' });
    const ready = await c.waitFor('ready', 10_000);
    expect(ready.message).toMatchObject({ language: 'ja', voice_input: { ja: false, en: true }, is_mock: true });
    const health = (await (await fetch(`${app.url}/health`)).json()) as { warnings: Array<{ code: string; message: string }> };
    expect(health.warnings.find((w) => w.code === 'stt_no_japanese')?.message).toMatch(/whisper\.cpp/);

    // typing works in Japanese: the question comes back as the final transcript and is answered
    c.send({ type: 'text.input', text: '大人の入園料はいくらですか？', client_msg_id: 'q1' });
    const final = await c.waitFor('transcript.final', 10_000);
    expect(final.message).toMatchObject({ text: '大人の入園料はいくらですか？', source: 'text', client_msg_id: 'q1' });
    const done = await c.waitFor('assistant.done', 30_000);
    expect(done.message.text.length).toBeGreaterThan(0);
    await c.close();
  }, 60_000);
});
