import { describe, expect, it } from 'vitest';
import { FakeClock } from '@va/testkit';
import { createOpusEncoder } from '../audio/opus.ts';
import { defaultSessionConfig, type VadStream } from '../session/types.ts';
import { GAP_ALLOWANCE_MS, MIC_RATE, MicInput } from './mic-input.ts';

/** Real 20 ms Opus packets of a spoken-level tone, and a mic input on fake time counting VAD frames. */
function harness() {
  const clock = new FakeClock();
  let vadFrames = 0;
  const vad: VadStream = { frameSamples: 512, process: async () => (vadFrames++, 0.02), reset: () => undefined };
  const discontinuities: Array<{ seq: number; missing: number }> = [];
  const mic = new MicInput(vad, { endpointer: defaultSessionConfig.endpointer, maxSeconds: 30, now: () => clock.now() }, {
    onEndpoint: () => undefined,
    onAudioProgress: () => undefined,
    onDecodeError: () => undefined,
    onDiscontinuity: (seq, missing) => discontinuities.push({ seq, missing }),
  });
  const pcm = new Int16Array(960);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(6000 * Math.sin((2 * Math.PI * 220 * i) / 48_000));
  const packet = createOpusEncoder({ frameMs: 20 }).encode(pcm);
  /** Sends packets with the given seqs, one per 20 ms of wall time. */
  const send = async (seqs: number[]) => {
    for (const seq of seqs) {
      await mic.push(seq, packet);
      await clock.advance(20);
    }
  };
  const audioMs = () => (mic.audio.endIndex / MIC_RATE) * 1000;
  return { clock, mic, send, audioMs, discontinuities, vadFrames: () => vadFrames };
}

describe('MicInput gap fill', () => {
  it('a client whose seq jumps by 1000 each packet gets no filled silence: 200 packets are 4 s of audio, not 200 s', async () => {
    const h = harness();
    await h.send(Array.from({ length: 200 }, (_, i) => i * 1000));
    expect(h.audioMs()).toBeGreaterThanOrEqual(200 * 20 - 20);
    expect(h.audioMs()).toBeLessThanOrEqual(200 * 20);
    expect(h.discontinuities).toHaveLength(199);
    expect(h.discontinuities[0]).toEqual({ seq: 1000, missing: 999 });
    expect(h.vadFrames()).toBeLessThanOrEqual(Math.ceil((200 * 20) / 32));
    h.mic.close();
  });

  it('small gaps on every packet are filled only as far as wall time allows: audio never runs ahead by more than the allowance', async () => {
    const h = harness();
    await h.send(Array.from({ length: 300 }, (_, i) => i * 10)); // 9 lost packets before each one
    const wallMs = 300 * 20;
    expect(h.audioMs()).toBeLessThanOrEqual(wallMs + GAP_ALLOWANCE_MS);
    expect(h.audioMs()).toBeGreaterThanOrEqual(wallMs); // the first ones were filled from the allowance
    expect(h.discontinuities.length).toBeGreaterThan(250);
    h.mic.close();
  });

  it('real loss is filled: 10 packets lost on a steady stream keep audio time equal to wall time', async () => {
    const h = harness();
    await h.send([...Array(50).keys()]);
    await h.clock.advance(200); // packets 50-59 never arrive
    await h.send(Array.from({ length: 50 }, (_, i) => 60 + i));
    expect(h.audioMs()).toBeGreaterThanOrEqual(110 * 20 - 20);
    expect(h.audioMs()).toBeLessThanOrEqual(110 * 20);
    expect(h.discontinuities).toHaveLength(0);
    // the filled packets map to their own seqs (covers_seq stays right after a loss)
    const filled = h.mic.frameAt(56 * 320)?.seq ?? -1; // audio of packet 55, lost and filled
    expect(filled).toBeGreaterThanOrEqual(54);
    expect(filled).toBeLessThanOrEqual(55);
    h.mic.close();
  });

  it('after a long pause a burst of delayed packets is taken whole, and a duplicate or late packet is dropped', async () => {
    const h = harness();
    await h.send([0, 1, 2, 3]);
    await h.send([3, 2, 4]);
    expect(h.audioMs()).toBeCloseTo(5 * 20, -1);
    await h.clock.advance(3000);
    for (let seq = 5; seq < 55; seq++) await h.mic.push(seq, createOpusEncoder({ frameMs: 20 }).encode(new Int16Array(960)));
    expect(h.audioMs()).toBeCloseTo(55 * 20, -1);
    expect(h.discontinuities).toHaveLength(0);
    h.mic.close();
  });
});

describe('MicInput: a new connection takes the session over', () => {
  it('packets numbered from 0 again are heard after newStream(), not dropped as late', async () => {
    const h = harness();
    await h.send(Array.from({ length: 50 }, (_, i) => i));
    const before = h.audioMs();
    await h.send([0, 1, 2]); // a reloaded page without newStream(): dropped as duplicates
    expect(h.audioMs()).toBe(before);
    h.mic.newStream();
    await h.send(Array.from({ length: 25 }, (_, i) => i));
    expect(h.audioMs()).toBeCloseTo(before + 25 * 20, -1);
  });
});
