import { describe, expect, it } from 'vitest';
import { FakeClock } from '@va/testkit';
import { FLAG_LAST, type AudioFrame } from '@va/protocol';
import { createOpusDecoder } from '../audio/opus.ts';
import type { TtsChunk } from '../ports.ts';
import { PacedAudioSender } from './audio-sender.ts';

/** `ms` of a 440 Hz tone at 24 kHz, in one chunk (a TTS server may send seconds at once). */
function tone(ms: number, rate = 24_000): TtsChunk {
  const pcm = new Int16Array((rate * ms) / 1000);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate));
  return { sampleRate: rate, pcm };
}

async function* chunks(...items: TtsChunk[]): AsyncIterable<TtsChunk> {
  for (const c of items) yield c;
}

function setup(leadMs = 200) {
  const clock = new FakeClock();
  const sent: Array<{ at: number; f: AudioFrame }> = [];
  const sender = new PacedAudioSender(clock, { sendEvent: () => undefined, sendAudio: (f) => (sent.push({ at: clock.now(), f }), true) }, leadMs);
  return { clock, sent, sender };
}

describe('PacedAudioSender', () => {
  it('1 s of TTS audio leaves as 25 Opus packets of 40 ms, paced at real time with a 200 ms lead, the last flagged', async () => {
    const { clock, sent, sender } = setup();
    let announcedAt = -1;
    const done = sender.sendSegment(7, chunks(tone(1000)), new AbortController().signal, () => (announcedAt = clock.now()));
    await clock.advance(2000);
    expect(await done).toEqual({ durationMs: 1000, truncated: false });
    expect(announcedAt).toBe(0);
    expect(sent).toHaveLength(25);
    expect(sent.map((s) => s.f.seq)).toEqual([...Array(25).keys()]);
    expect(sent.every((s) => s.f.segment === 7)).toBe(true);
    expect(sent.map((s) => s.f.flags & FLAG_LAST)).toEqual([...Array(24).fill(0), FLAG_LAST]);
    // packet k is due when the audio before it is at most 200 ms ahead of real time
    sent.forEach((s, k) => expect(s.at).toBeGreaterThanOrEqual(Math.max(0, k * 40 - 200)));
    expect(sent.at(-1)!.at).toBe(24 * 40 - 200);
    expect(sender.remainingPlaybackMs()).toBe(0); // the clock has run past the audio
    // the packets are real Opus: they decode back to 40 ms of 48 kHz audio each
    const decoder = createOpusDecoder({ sampleRate: 48_000, channels: 1 });
    expect(sent.map((s) => decoder.decode(s.f.payload).length)).toEqual(Array(25).fill(1920));
    decoder.destroy();
    sender.close();
  });

  it('back-to-back segments share the pacing clock: the second waits for its place, without a gap', async () => {
    const { clock, sent, sender } = setup();
    const signal = new AbortController().signal;
    const first = sender.sendSegment(0, chunks(tone(400)), signal, () => undefined);
    await clock.advance(200);
    await first;
    const second = sender.sendSegment(1, chunks(tone(400)), signal, () => undefined);
    await clock.advance(1000);
    await second;
    const seg1 = sent.filter((s) => s.f.segment === 1);
    expect(seg1[0]!.at).toBe(400 - 200); // its audio starts where the first ended
    expect(sender.totalSentMs).toBe(800);
    sender.close();
  });

  it('an abort stops the segment at once: no packet after it, truncated', async () => {
    const { clock, sent, sender } = setup();
    const controller = new AbortController();
    const done = sender.sendSegment(0, chunks(tone(2000)), controller.signal, () => undefined);
    await clock.advance(500);
    controller.abort(new Error('barge_in'));
    const abortedAt = clock.now();
    await clock.advance(3000);
    const result = await done;
    expect(result.truncated).toBe(true);
    expect(result.durationMs).toBeLessThan(2000);
    expect(sent.filter((s) => s.at > abortedAt)).toHaveLength(0);
    expect(sent.length * 40).toBe(result.durationMs);
    sender.close();
  });

  it('audio slower than real time restarts the pacing clock instead of bursting to catch up', async () => {
    const { clock, sent, sender } = setup(0);
    async function* slow(): AsyncIterable<TtsChunk> {
      yield tone(80);
      await clock.sleep(500);
      yield tone(80);
    }
    const done = sender.sendSegment(0, slow(), new AbortController().signal, () => undefined);
    await clock.advance(1000);
    await done;
    const times = sent.map((s) => s.at);
    expect(times).toEqual([0, 500, 540, 580]); // one packet held back for FLAG_LAST waits for the next audio
    sender.close();
  });
});
