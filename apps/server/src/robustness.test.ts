import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@va/protocol';
import { VoiceClient } from '@va/testkit';
import { startTestApp, TEST_TOKEN, type TestApp } from './test/start-app.ts';
import { textChat } from './test/sse.ts';

/** What a hostile or broken client does to the server: half-sent headers, more sessions than allowed. */
describe('robustness: HTTP timeouts and the session cap', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ MAX_SESSIONS: '2', HTTP_HEADERS_TIMEOUT_MS: '2000', HTTP_REQUEST_TIMEOUT_MS: '3000' });
  }, 120_000);
  afterAll(async () => app?.stop());

  const port = (): number => Number(new URL(app.url).port);

  it('closes sockets that hold half-sent headers (408), 50 at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, () => {
        return new Promise<{ reply: string }>((resolve) => {
          const s: Socket = connect(port(), '127.0.0.1', () => s.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: '));
          let reply = '';
          s.on('data', (d) => (reply += d.toString('latin1')));
          s.on('error', () => undefined);
          s.on('close', () => resolve({ reply }));
        });
      }),
    );
    for (const r of results) expect(r.reply).toMatch(/^HTTP\/1\.1 408 /);
  }, 30_000);

  it('keeps a WebSocket session open beyond the request timeout (it applies to requests, not upgraded sockets)', async () => {
    const c = await VoiceClient.connect(app.url, 'long-lived', TEST_TOKEN);
    await new Promise((r) => setTimeout(r, 4500));
    c.send({ type: 'ping', t: 7 });
    expect((await c.waitFor('pong', 5000)).message.t).toBe(7);
    expect(c.closeCode).toBeNull();
    await c.close();
  }, 30_000);

  it('MAX_SESSIONS is a hard cap: the next hello gets server_full and close 1013; a reconnect and a freed place are not refused', async () => {
    const a = await VoiceClient.connect(app.url, 'cap-a', TEST_TOKEN);
    const b = await VoiceClient.connect(app.url, 'cap-b', TEST_TOKEN);

    const refused = await VoiceClient.connect(app.url, 'cap-c', TEST_TOKEN, { hello: false });
    refused.send({ type: 'hello', protocol_version: PROTOCOL_VERSION, token: TEST_TOKEN, language: 'ja' });
    const err = await refused.waitFor('error', 5000);
    expect(err.message).toMatchObject({ code: 'server_full', retryable: true });
    await refused.waitFor('state', 5000, () => refused.closeCode !== null).catch(() => undefined);
    expect(refused.closeCode).toBe(1013);
    expect(refused.eventsOf('ready')).toHaveLength(0);

    const chat = await textChat(app.url, TEST_TOKEN, { session_id: 'cap-text', text: '入園料はいくらですか' });
    expect(chat.status).toBe(503);
    expect(chat.json).toMatchObject({ error: { code: 'server_full', retryable: true } });

    const bAgain = await VoiceClient.connect(app.url, 'cap-b', TEST_TOKEN); // takes over its own session
    expect(bAgain.eventsOf('ready')).toHaveLength(1);
    await b.waitFor('session.end', 5000);

    await a.close(); // a's session loses its socket: the next new session takes its place
    await new Promise((r) => setTimeout(r, 200));
    const d = await VoiceClient.connect(app.url, 'cap-d', TEST_TOKEN);
    expect(d.eventsOf('ready')).toHaveLength(1);
    await Promise.all([bAgain.close(), d.close()]);
  }, 60_000);
});
