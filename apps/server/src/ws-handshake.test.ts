import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { VoiceClient } from '@va/testkit';
import { startTestApp, TEST_TOKEN, type TestApp } from './test/start-app.ts';

function rawSocket(url: string, path: string, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}${path}`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', () => undefined);
  });
}

function closeOf(ws: WebSocket): Promise<{ code: number; messages: string[] }> {
  const messages: string[] = [];
  ws.on('message', (d) => messages.push(d.toString()));
  return new Promise((resolve) => ws.once('close', (code) => resolve({ code, messages })));
}

describe('WebSocket transport: handshake, auth, bad input', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ALLOWED_ORIGINS: 'http://allowed.example' });
  }, 120_000);
  afterAll(async () => app?.stop());

  it('refuses a disallowed Origin and an invalid session id at the upgrade', async () => {
    expect((await rawSocket(app.url, '/ws/session/abc', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await rawSocket(app.url, '/ws/session/a%20b')).status).toBe(400);
    expect((await rawSocket(app.url, '/ws/session/%E0%A4%A')).status).toBe(400); // malformed escape
    expect((await rawSocket(app.url, '/ws/nope')).status).toBe(404);
    const ok = await rawSocket(app.url, '/ws/session/abc', { origin: 'http://allowed.example' });
    expect(ok.ws).toBeDefined();
    ok.ws!.close();
  });

  it.each([
    ['a wrong token', { type: 'hello', protocol_version: 1, token: 'nope-nope' }, 4001, 'unauthorized'],
    ['an unsupported version', { type: 'hello', protocol_version: 99, token: TEST_TOKEN }, 4000, 'unsupported_protocol_version'],
    ['a message before hello', { type: 'ping', t: 1 }, 4003, 'handshake_required'],
  ])('closes on %s with a stable code', async (_name, hello, close, code) => {
    const { ws } = await rawSocket(app.url, '/ws/session/hs1');
    const closed = closeOf(ws!);
    ws!.send(JSON.stringify(hello));
    const r = await closed;
    expect(r.code).toBe(close);
    expect(JSON.parse(r.messages[0]!)).toMatchObject({ type: 'error', code });
  });

  it('answers bad messages and bad frames with errors, and keeps the connection', async () => {
    const c = await VoiceClient.connect(app.url, 'bad-input-1', TEST_TOKEN);
    c.sendRaw('{not json');
    c.sendRaw(JSON.stringify({ type: 'text.input', text: '' }));
    c.sendRaw(new Uint8Array([1, 2, 3]));
    c.sendRaw(new Uint8Array([2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9])); // a TTS frame from the client
    c.sendRaw(new Uint8Array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0x00])); // garbage Opus
    await c.waitFor('error', 5000, (m) => m.code === 'audio_decode_failed');
    const codes = c.eventsOf('error').map((e) => e.message.code);
    expect(codes.filter((x) => x === 'bad_message').length).toBe(2);
    expect(codes.filter((x) => x === 'bad_audio_frame').length).toBe(2);
    c.send({ type: 'ping', t: 42 });
    const pong = await c.waitFor('pong', 5000);
    expect(pong.message.t).toBe(42);
    await c.close();
  });

  it('hands a session over to a second socket and resumes its history', async () => {
    const first = await VoiceClient.connect(app.url, 'resume-1', TEST_TOKEN);
    first.send({ type: 'text.input', text: 'hello there' });
    await first.waitFor('assistant.done', 20_000);
    const second = await VoiceClient.connect(app.url, 'resume-1', TEST_TOKEN);
    const ready = second.eventsOf('ready')[0]!;
    expect(ready.message.history.map((h) => h.user_text)).toEqual(['hello there']);
    await first.waitFor('session.end', 5000);
    await new Promise((r) => setTimeout(r, 200));
    expect(first.closeCode).toBe(4004);
    await second.close();
  });
});
