import { FakeClock, hasJapaneseSpeechFixtures, japaneseSpeech, speechSpans, type JapaneseSpeechFixture } from '@va/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MicInput } from '../listen/mic-input.ts';
import { defaultSessionConfig } from '../session/types.ts';
import type { EndpointEvent } from './endpointer.ts';
import { createOpusEncoder } from './opus.ts';
import { SileroVadModel } from './vad.ts';

/**
 * Japanese speech made with Open JTalk, whose phoneme timing is known, goes through the mic path
 * as the server runs it (20 ms Opus packets at 48 kHz -> decode -> 16 kHz -> Silero VAD ->
 * endpointer, MicInput with the session's endpointer settings): the VAD's speech start and end
 * land within 100 ms of the label timing.
 */

const LEAD_MS = 1000;
const TAIL_MS = 1500;
const TOLERANCE_MS = 100;

const UTTERANCES = [
  '年間パスポートはいくらですか？',
  'すみません、駐車場は何時まで開いていますか？',
  'バラ園はどこにありますか？',
  'ありがとう。',
  '大人の入園料と、中学生の入園料を教えてください。',
];

let model: SileroVadModel;
beforeAll(async () => {
  model = await SileroVadModel.load();
});
afterAll(async () => {
  await model?.release();
});

/** Open JTalk speech with silence around it and a faint deterministic noise floor (about -66 dBFS), at 48 kHz. */
function micSignal(speech: JapaneseSpeechFixture): Int16Array {
  const rate = speech.sampleRate;
  const lead = Math.round((LEAD_MS * rate) / 1000);
  const out = new Int16Array(lead + speech.pcm.length + Math.round((TAIL_MS * rate) / 1000));
  out.set(speech.pcm, lead);
  let seed = 12345;
  for (let i = 0; i < out.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out[i] = Math.max(-32768, Math.min(32767, out[i]! + ((seed >> 8) % 33) - 16));
  }
  return out;
}

async function endpointsThroughMicPath(pcm48: Int16Array): Promise<EndpointEvent[]> {
  const clock = new FakeClock();
  const events: EndpointEvent[] = [];
  const mic = new MicInput(model.createStream(), { endpointer: defaultSessionConfig.endpointer, maxSeconds: 30, now: () => clock.now() }, {
    onEndpoint: (e) => events.push(e),
    onAudioProgress: () => undefined,
    onDecodeError: (seq) => {
      throw new Error(`packet ${seq} did not decode`);
    },
  });
  const encoder = createOpusEncoder({ sampleRate: 48_000, frameMs: 20 });
  const n = encoder.frameSamples;
  for (let i = 0, seq = 0; i + n <= pcm48.length; i += n, seq++) {
    await mic.push(seq, encoder.encode(pcm48.subarray(i, i + n)));
    await clock.advance(20);
  }
  await mic.drain();
  mic.finish();
  await mic.drain();
  mic.close();
  encoder.destroy();
  return events;
}

describe.runIf(hasJapaneseSpeechFixtures())('Silero VAD on Japanese speech through the mic path (Open JTalk labels)', () => {
  it.each(UTTERANCES)('%s: speech start and end within 100 ms of the labels', async (text) => {
    const speech = await japaneseSpeech(text);
    const spans = speechSpans(speech.labels);
    const labelStart = LEAD_MS + spans[0]!.start * 1000;
    const labelEnd = LEAD_MS + spans.at(-1)!.end * 1000;
    const events = await endpointsThroughMicPath(micSignal(speech));
    const starts = events.filter((e) => e.type === 'speech_start');
    const ends = events.filter((e) => e.type === 'speech_end');
    console.log(`VAD_JA ${JSON.stringify({ text, labelStart, labelEnd, events })}`);
    expect(starts.length).toBeGreaterThanOrEqual(1);
    expect(ends).toHaveLength(starts.length);
    expect(Math.abs(starts[0]!.atMs - labelStart)).toBeLessThanOrEqual(TOLERANCE_MS);
    expect(Math.abs(ends.at(-1)!.atMs - labelEnd)).toBeLessThanOrEqual(TOLERANCE_MS);
    // A pause at 、 as long as the endpointer's redemption (480 ms) splits the speech (Open JTalk
    // pauses 435 ms after 入園料と, and the VAD hears ~80 ms more silence around it): each inner end
    // and start must then sit at that pause's edges. An inner start on an unvoiced onset (ch, ts,
    // s) comes when the vowel does, up to ~120 ms after the label: allowed 150 ms there.
    const near = (ms: number, edges: number[]) => Math.min(...edges.map((e) => Math.abs(e - ms)));
    for (const e of ends) expect(near(e.atMs, spans.map((sp) => LEAD_MS + sp.end * 1000))).toBeLessThanOrEqual(TOLERANCE_MS);
    for (const e of starts.slice(1)) expect(near(e.atMs, spans.map((sp) => LEAD_MS + sp.start * 1000))).toBeLessThanOrEqual(150);
  });
});
