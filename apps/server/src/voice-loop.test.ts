import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VoiceClient, goForward, padSilence, hasSpeechFixtures } from '@va/testkit';
import { wordErrorRate, resampleOnce, encodeWav } from '@va/pipeline';
import { startTestApp, TEST_TOKEN, type TestApp } from './test/start-app.ts';

describe.runIf(hasSpeechFixtures())('voice loop end to end (real speech, real adapters, stand-in servers)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
  });

  it('streams partials while speaking, a close final, the answer text, and Opus voice that says it back', async () => {
    const clip = goForward();
    const client = await VoiceClient.connect(app.url, 'e2e-voice-1', TEST_TOKEN);
    const speech = padSilence(clip.pcm, 600, 0);
    const streamStart = performance.now();
    await client.streamSpeech(speech);
    const speechSentAt = performance.now();
    await client.streamSpeech(new Int16Array(16_000 * 2)); // trailing silence ends the turn
    const final = await client.waitFor('transcript.final', 20_000);
    const done = await client.waitFor('assistant.done', 30_000);
    await client.waitFor('state', 10_000, (m) => m.state === 'idle', done.at);

    const partials = client.eventsOf('transcript.partial');
    expect(partials.length).toBeGreaterThan(0);
    expect(partials[0]!.at).toBeLessThan(speechSentAt); // a partial arrived while the user was still speaking
    expect(partials[0]!.at).toBeGreaterThan(streamStart);
    expect(wordErrorRate(clip.transcript, final.message.text)).toBeLessThanOrEqual(0.25);

    const deltas = client.eventsOf('assistant.delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(done.message.text).toBe(deltas.map((d) => d.message.text).join(''));
    expect(done.message.interrupted).toBe(false);
    expect(client.eventsOf('tts.start').length).toBeGreaterThan(0);
    const metrics = await client.waitFor('turn.metrics', 5000);
    expect(metrics.message.stages.end_to_end_ms).toBeGreaterThan(0);

    // The voice: decodes to audible speech of plausible length, and recognising it gets words back.
    const pcm48 = client.decodeAudio();
    expect(pcm48.length / 48_000).toBeGreaterThan(1);
    let energy = 0;
    for (const s of pcm48) energy += (s / 32768) ** 2;
    expect(Math.sqrt(energy / pcm48.length)).toBeGreaterThan(0.02);
    const pcm16 = resampleOnce(pcm48, 48_000, 16_000);
    const form = new FormData();
    form.append('file', new Blob([encodeWav(pcm16, 16_000)], { type: 'audio/wav' }), 'a.wav');
    const res = await fetch(`${app.standins!.stt.url}/inference`, { method: 'POST', body: form });
    const heard = ((await res.json()) as { text: string }).text.toLowerCase();
    const spoken = done.message.text.toLowerCase();
    const common = heard.split(/\W+/).filter((w) => w.length > 2 && spoken.includes(w));
    expect(common.length).toBeGreaterThanOrEqual(2);
    await client.close();
  }, 90_000);

  it('keeps user text out of log messages and puts ids on turn lines', () => {
    const turnLines = app.logLines.filter((l) => l.msg === 'turn finished');
    expect(turnLines.length).toBeGreaterThan(0);
    for (const l of turnLines) {
      expect(l.session_id).toBeTypeOf('string');
      expect(l.turn_id).toBeTypeOf('string');
    }
    const all = JSON.stringify(app.logLines).toLowerCase();
    expect(all).not.toContain('forward ten');
  });
});
