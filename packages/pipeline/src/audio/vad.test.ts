import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SileroVadModel, defaultSileroModelPath } from './vad.ts';
import { createEndpointer, type EndpointEvent } from './endpointer.ts';
import { pcm16ToFloat32 } from './pcm.ts';
import { goForward } from '@va/testkit';

const FRAME = 512;
let model: SileroVadModel;

beforeAll(async () => {
  model = await SileroVadModel.load();
});
afterAll(async () => {
  await model.release();
});

/** goforward.raw with 1 s of digital silence before and after. */
function paddedSpeech(): Float32Array {
  const s = pcm16ToFloat32(goForward().pcm);
  const out = new Float32Array(16000 + s.length + 16000);
  out.set(s, 16000);
  return out;
}

async function probabilities(samples: Float32Array, vad = model.createStream()): Promise<number[]> {
  const probs: number[] = [];
  for (let i = 0; i + FRAME <= samples.length; i += FRAME) probs.push(await vad.process(samples.subarray(i, i + FRAME)));
  return probs;
}

/** Speech boundaries from energy, as an independent reference: frames 20 dB above the silence floor. */
function energyBounds(pcm: Int16Array): { startMs: number; endMs: number } {
  const levels: number[] = [];
  for (let i = 0; i + FRAME <= pcm.length; i += FRAME) {
    let e = 0;
    for (let k = 0; k < FRAME; k++) e += pcm[i + k]! ** 2;
    levels.push(Math.sqrt(e / FRAME));
  }
  const floor = Math.min(...levels.slice(0, 10).map((l) => Math.max(l, 1)));
  const loud = levels.map((l) => l > floor * 10);
  const first = loud.indexOf(true);
  const last = loud.lastIndexOf(true);
  return { startMs: first * 32, endMs: (last + 1) * 32 };
}

describe('SileroVad (v5, onnxruntime-node)', () => {
  it('finds the model shipped with @ricky0123/vad-web', () => {
    expect(defaultSileroModelPath()).toMatch(/@ricky0123\/vad-web\/dist\/silero_vad_v5\.onnx$/);
  });

  it('scores real speech high and silence low', async () => {
    const probs = await probabilities(paddedSpeech());
    const silence = probs.slice(0, 28).concat(probs.slice(-28));
    expect(Math.max(...silence)).toBeLessThan(0.1);
    const speech = probs.slice(50, 95);
    expect(speech.filter((p) => p > 0.9).length).toBeGreaterThan(speech.length * 0.8);
  });

  it('keeps state per stream: interleaved streams match sequential runs', async () => {
    const audio = paddedSpeech().subarray(16000, 16000 + FRAME * 40);
    const reference = await probabilities(audio);
    const a = model.createStream();
    const b = model.createStream();
    const pa: Promise<number>[] = [];
    const pb: Promise<number>[] = [];
    for (let i = 0; i + FRAME <= audio.length; i += FRAME) {
      pa.push(a.process(audio.subarray(i, i + FRAME)));
      pb.push(b.process(new Float32Array(FRAME)));
    }
    expect(await Promise.all(pa)).toEqual(reference);
    expect(Math.max(...(await Promise.all(pb)))).toBeLessThan(0.1);
    a.reset();
    expect(await probabilities(audio, a)).toEqual(reference);
  });

  it('rejects frames of the wrong size', async () => {
    await expect(model.createStream().process(new Float32Array(480))).rejects.toThrow(RangeError);
  });

  it('endpoints real speech: one start and one end at the speech boundaries', async () => {
    const ref = energyBounds(goForward().pcm);
    const probs = await probabilities(paddedSpeech());
    const ep = createEndpointer({ frameMs: 32 });
    const events: EndpointEvent[] = probs.flatMap((p) => ep.push(p));
    events.push(...ep.finish());
    expect(events.map((e) => e.type)).toEqual(['speech_start', 'speech_end']);
    const [start, end] = events;
    // the clip itself begins with ~0.5 s of room noise, so speech starts near 1.5 s in the padded audio
    expect(Math.abs(start!.atMs - (1000 + ref.startMs))).toBeLessThanOrEqual(150);
    expect(Math.abs(end!.atMs - (1000 + ref.endMs))).toBeLessThanOrEqual(250);
    if (start?.type === 'speech_start') expect(start.captureFromMs).toBe(start.atMs - 300);
  });
});
