import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDirectory, silentProgress } from '@va/rag';
import { createEmbedder } from '@va/providers';
import { makePdf } from '@va/rag/test-pdf';
import { VoiceClient, goForward, hasSpeechFixtures, padSilence } from '@va/testkit';
import { startTestApp, TEST_TOKEN, type TestApp } from './test/start-app.ts';
import { textChat } from './test/sse.ts';

/** Held to the seed: documents ingested from a folder (md + pdf) answer spoken and typed questions. */
describe('RAG over ingested documents, by text and by voice; text-chat API', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    const docs = mkdtempSync(join(tmpdir(), 'va-docs-'));
    mkdirSync(join(docs, 'estate'));
    writeFileSync(
      join(docs, 'estate', 'norland.md'),
      '# Norland\n\nThe Norland estate lease runs for ninety-nine years from the signing day.\n\n' +
        'The garden has an old walnut tree near the west gate.\n',
    );
    writeFileSync(
      join(docs, 'rover-manual.pdf'),
      makePdf(['Rover manual.', 'The rover can go forward ten meters on one battery charge of forty minutes.', 'Keep the wheels dry.']),
    );
    const summary = await ingestDirectory({ dir: docs, dataDir: app.dataDir, embedder: createEmbedder({ type: 'openai-embeddings', base_url: app.standins!.embedding.url }), progress: silentProgress });
    expect(summary.failed.length).toBe(0);
    // the server picks up the new index by itself (pointer file polled every 3 s)
    for (let i = 0; i < 40; i++) {
      const ready = (await (await fetch(`${app.url}/ready`)).json()) as { index: { loaded: boolean } };
      if (ready.index.loaded) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 120_000);
  afterAll(async () => app?.stop());

  it('answers a typed question from the markdown file and cites it (SSE)', async () => {
    const r = await textChat(app.url, TEST_TOKEN, { session_id: 'rag-text-1', text: 'How long does the Norland estate lease run?' });
    expect(r.status).toBe(200);
    const types = r.events.map((e) => e.type);
    expect(types[0]).toBe('transcript.final');
    expect(types).toContain('assistant.delta');
    const done = r.events.find((e) => e.type === 'assistant.done');
    if (done?.type !== 'assistant.done') throw new Error('no assistant.done');
    expect(done.text.toLowerCase()).toContain('ninety-nine years');
    expect(done.sources[0]?.source).toBe('estate/norland.md');
    expect(done.sources[0]?.chunk_id).toMatch(/^[0-9a-f]+:\d+$/);
    expect(types.at(-1)).toBe('turn.metrics');
  });

  it.runIf(hasSpeechFixtures())('answers a spoken question from the PDF and cites it', async () => {
    const c = await VoiceClient.connect(app.url, 'rag-voice-1', TEST_TOKEN);
    await c.streamSpeech(padSilence(goForward().pcm, 500, 1500), { speed: 2 });
    const done = await c.waitFor('assistant.done', 40_000);
    expect(done.message.text.toLowerCase()).toContain('forty minutes');
    expect(done.message.sources[0]?.source).toBe('rover-manual.pdf');
    await c.close();
  }, 60_000);

  it('keeps every turn in the conversation log with sources and latencies', async () => {
    const log = app.logLines.filter((l) => l.msg === 'turn finished');
    expect(log.length).toBeGreaterThanOrEqual(1);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/va_stage_latency_ms_count\{stage="llm_first_token"\} [1-9]/);
    expect(metrics).toMatch(/va_turns_total\{mode="text"\} [1-9]/);
  });

  it.each([
    ['no token', { authorization: '' }, { session_id: 'x', text: 'hi' }, 401, 'unauthorized'],
    ['a wrong token', { authorization: 'Bearer wrong-token' }, { session_id: 'x', text: 'hi' }, 401, 'unauthorized'],
    ['a bad session id', {}, { session_id: '../etc', text: 'hi' }, 400, 'bad_message'],
    ['empty text', {}, { session_id: 'x', text: '   ' }, 400, 'bad_message'],
    ['too long text', {}, { session_id: 'x', text: 'a'.repeat(4001) }, 413, 'text_too_long'],
  ])('text-chat refuses %s with a clear error code', async (_n, headers, body, status, code) => {
    const res = await fetch(`${app.url}/api/v1/text-chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}`, ...headers },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('refuses a body that is not JSON', async () => {
    const r = await textChat(app.url, TEST_TOKEN, '{oops');
    expect(r.status).toBe(400);
  });
});
