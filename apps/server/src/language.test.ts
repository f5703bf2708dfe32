import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@va/protocol';
import { VoiceClient, hasJapaneseSpeechFixtures, japaneseSpeech } from '@va/testkit';
import { createApp, type App } from './app.ts';
import { createLogger } from './logger.ts';
import { REPO_ROOT, TEST_TOKEN } from './test/start-app.ts';

const HEARD = '大人の入園料はいくらですか';

/** A loopback server speaking whisper.cpp's `/inference`, recording the `language` field of each request. */
async function recordingWhisper(): Promise<{ url: string; languages: string[]; server: Server }> {
  const languages: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/inference') {
        const body = Buffer.concat(chunks).toString('latin1');
        languages.push(/name="language"\r\n\r\n([^\r]*)\r\n/.exec(body)?.[1] ?? '(none)');
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ text: ` ${HEARD}\n` }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, languages, server };
}

async function startWith(sttUrl: string, env: Record<string, string>): Promise<{ app: App; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'va-lang-'));
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const app = await createApp({
    cwd: REPO_ROOT,
    env: { PORT: '0', APP_TOKEN: TEST_TOKEN, DATA_DIR: dir, STANDINS: 'off', STT_TYPE: 'whisper-cpp', STT_BASE_URL: sttUrl, LLM_BASE_URL: 'http://127.0.0.1:9', TTS_BASE_URL: 'http://127.0.0.1:9', EMBEDDING_BASE_URL: 'http://127.0.0.1:9', ...env },
    logger: createLogger('warn', sink),
  });
  return { app, dir };
}

async function hello(app: App, sessionId: string, language?: string): Promise<VoiceClient> {
  const c = await VoiceClient.connect(app.url, sessionId, TEST_TOKEN, { hello: false });
  c.send({ type: 'hello', protocol_version: PROTOCOL_VERSION, token: TEST_TOKEN, ...(language ? { language } : {}) });
  await c.waitFor('ready', 10_000);
  return c;
}

describe('session language with a whisper.cpp STT (Japanese speech made by Open JTalk)', () => {
  let whisper: Awaited<ReturnType<typeof recordingWhisper>>;
  let fixed: { app: App; dir: string };
  let auto: { app: App; dir: string };
  beforeAll(async () => {
    whisper = await recordingWhisper();
    [fixed, auto] = await Promise.all([startWith(whisper.url, { STT_LANGUAGE: 'en' }), startWith(whisper.url, { STT_LANGUAGE: 'auto' })]);
  }, 120_000);
  afterAll(async () => {
    for (const a of [fixed, auto]) {
      await a?.app.close();
      if (a) rmSync(a.dir, { recursive: true, force: true });
    }
    whisper?.server.close();
  });

  it('hello.language ja-JP: ready says ja and that voice input understands ja; absent: the default (STT_LANGUAGE en)', async () => {
    const ja = await hello(fixed.app, 'lang-ready-ja', 'ja-JP');
    expect(ja.eventsOf('ready')[0]!.message).toMatchObject({ language: 'ja', voice_input: { ja: true, en: true } });
    const none = await hello(fixed.app, 'lang-ready-none');
    expect(none.eventsOf('ready')[0]!.message.language).toBe('en');
    const other = await hello(fixed.app, 'lang-ready-fr', 'fr-FR');
    expect(other.eventsOf('ready')[0]!.message.language).toBe('en');
    await Promise.all([ja.close(), none.close(), other.close()]);
  });

  it.runIf(hasJapaneseSpeechFixtures())('a ja session sends language=ja to whisper.cpp for Japanese speech; an en session sends en', async () => {
    const speech = await japaneseSpeech(HEARD, { sampleRate: 16_000 });
    for (const [id, tag, want] of [['lang-ja', 'ja-JP', 'ja'], ['lang-en', 'en-US', 'en']] as const) {
      whisper.languages.length = 0;
      const c = await hello(fixed.app, id, tag);
      await c.streamSpeech(speech.pcm);
      await c.streamSpeech(new Int16Array(16_000));
      const final = await c.waitFor('transcript.final', 20_000);
      expect(final.message.text).toBe(HEARD);
      expect(whisper.languages.length).toBeGreaterThan(0);
      expect(new Set(whisper.languages)).toEqual(new Set([want]));
      await c.close();
    }
  }, 90_000);

  it.runIf(hasJapaneseSpeechFixtures())('STT_LANGUAGE=auto reaches whisper.cpp as auto, also in a ja session', async () => {
    whisper.languages.length = 0;
    const c = await hello(auto.app, 'lang-auto', 'ja');
    expect(c.eventsOf('ready')[0]!.message.language).toBe('ja');
    await c.streamSpeech((await japaneseSpeech(HEARD, { sampleRate: 16_000 })).pcm);
    await c.streamSpeech(new Int16Array(16_000));
    await c.waitFor('transcript.final', 20_000);
    expect(new Set(whisper.languages)).toEqual(new Set(['auto']));
    await c.close();
  }, 60_000);
});
