import { describe, expect, it } from 'vitest';
import { FakeClock } from '@va/testkit';
import type { AudioFrame, ServerMessage } from '@va/protocol';
import type { TtsChunk, TtsProvider } from '../ports.ts';
import { Speaker } from './speaker.ts';

/*
 * The speaker stage on fake time: TTS prefetch + ordered paced sender. The TTS server is a
 * scripted stand-in whose latency per text is given; it records when each request started.
 */
function harness(opts: { ttsMs: (text: string) => number; fail?: (text: string) => boolean; held?: boolean; prefetch?: number }) {
  const clock = new FakeClock();
  const requests: Array<{ at: number; text: string; language: string | undefined }> = [];
  const tts: TtsProvider = {
    role: 'tts', type: 'script', baseUrl: 'x', health: async () => ({ ok: true, latencyMs: 0 }),
    async *synthesize(req): AsyncIterable<TtsChunk> {
      requests.push({ at: clock.now(), text: req.text, language: req.language });
      await clock.sleep(opts.ttsMs(req.text), req.signal);
      if (opts.fail?.(req.text)) throw new Error('tts down');
      yield { sampleRate: 24_000, pcm: new Int16Array(12_000).map((_, i) => Math.round(5000 * Math.sin(i / 7))) }; // 500 ms
    },
  };
  const events: Array<{ at: number; m: ServerMessage }> = [];
  const audio: Array<{ at: number; f: AudioFrame }> = [];
  const failures: boolean[] = [];
  const controller = new AbortController();
  const noop = () => undefined;
  const logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
  const speaker = new Speaker({
    clock, tts, logger, turnId: 't1', language: 'ja', signal: controller.signal, nextSegmentId: ((id) => () => id++)(4), prefetch: opts.prefetch ?? 1, paceLeadMs: 200, startedAt: 0,
    held: opts.held ?? false,
    output: { sendEvent: (m) => events.push({ at: clock.now(), m }), sendAudio: (f) => (audio.push({ at: clock.now(), f }), true) },
    onTtsFailure: (_e, first) => failures.push(first),
  });
  const say = (...texts: string[]) => texts.forEach((text, index) => speaker.say({ text, index }));
  const of = <T extends ServerMessage['type']>(type: T) => events.filter((e) => e.m.type === type) as Array<{ at: number; m: Extract<ServerMessage, { type: T }> }>;
  return { clock, speaker, requests, events, audio, failures, controller, say, of };
}

const JA = ['こんにちは。', '大人の入園料は800円です。', '中学生以下は無料です。'];

describe('Speaker', () => {
  it('segments go out in order, one synthesis at a time, at most one segment ahead of the one being sent', async () => {
    const h = harness({ ttsMs: (t) => (t === JA[0] ? 300 : 50) });
    h.say(...JA);
    const done = h.speaker.finish();
    await h.clock.advance(5000);
    await done;
    expect(h.of('tts.start').map((e) => e.m.text)).toEqual(JA);
    expect(h.of('tts.start').map((e) => e.m.segment_id)).toEqual([4, 5, 6]);
    expect([...new Set(h.audio.map((a) => a.f.segment))]).toEqual([4, 5, 6]);
    expect(h.requests.map((r) => r.language)).toEqual(['ja', 'ja', 'ja']);
    // the third segment is not synthesised before the first is being sent
    expect(h.requests[2]!.at).toBeGreaterThanOrEqual(h.of('tts.start')[0]!.at);
    expect(h.requests[1]!.at).toBe(300); // one at a time: after the first finished
    expect(h.speaker.ttsFirstAudioMs).toBe(300);
    expect(h.speaker.sent.map((s) => s.durationMs)).toEqual([520, 520, 520]);
  });

  it('a failed segment is told once, ends truncated with no audio, and the next one still plays', async () => {
    const h = harness({ ttsMs: () => 50, fail: (t) => t === JA[1] });
    h.say(...JA);
    const done = h.speaker.finish();
    await h.clock.advance(5000);
    await done;
    expect(h.failures).toEqual([true]);
    expect(h.of('tts.start').map((e) => e.m.text)).toEqual([JA[0], JA[2]]);
    expect([...new Set(h.audio.map((a) => a.f.segment))]).toEqual([4, 6]);
  });

  it('held: only the first segment is synthesised and nothing is sent until release', async () => {
    const h = harness({ ttsMs: () => 100, held: true });
    h.say(...JA);
    await h.clock.advance(1000);
    expect(h.requests.map((r) => r.text)).toEqual([JA[0]]);
    expect(h.audio).toHaveLength(0);
    expect(h.of('tts.start')).toHaveLength(0);
    h.speaker.release();
    const releasedAt = h.clock.now();
    const done = h.speaker.finish();
    await h.clock.advance(5000);
    await done;
    expect(h.of('tts.start')[0]!.at).toBe(releasedAt); // its audio was ready: it leaves at once
    expect(h.requests.map((r) => r.text)).toEqual(JA);
  });

  it('an abort stops the sending and the synthesis: no audio after it', async () => {
    const h = harness({ ttsMs: () => 100 });
    h.say(...JA);
    const done = h.speaker.finish();
    await h.clock.advance(300);
    h.controller.abort(new Error('barge_in'));
    const at = h.clock.now();
    await h.clock.advance(5000);
    await done;
    expect(h.audio.filter((a) => a.at > at)).toHaveLength(0);
    expect(h.requests.length).toBeLessThanOrEqual(2);
  });
});
