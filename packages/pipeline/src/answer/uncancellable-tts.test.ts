import { describe, expect, it } from 'vitest';
import { FakeClock } from '@va/testkit';
import type { TtsChunk, TtsProvider } from '../ports.ts';
import { Speaker } from './speaker.ts';

/*
 * A barge-in on a TTS server that cannot cancel (Fish Speech, observed): the abandoned request is
 * synthesised to its end, one request at a time, and the next answer's first request waits for
 * it. Fake time; the server synthesises BASE_MS + MS_PER_CHAR per character (about RTF 0.3 for
 * Japanese speech at ~7 characters a second) and streams the audio when done.
 */
const BASE_MS = 200;
const MS_PER_CHAR = 40;
const LONG = '園内には大きな池があり、春には桜が咲き、夏には蓮の花が水面を覆うように咲いていて、秋には紅葉が池に映り、冬には雪景色が広がります。';
const NEXT = '入園料は800円です。';

function uncancellableServer(clock: FakeClock) {
  let freeAt = 0;
  const requests: Array<{ at: number; text: string }> = [];
  const tts: TtsProvider = {
    role: 'tts', type: 'script', baseUrl: 'x', health: async () => ({ ok: true, latencyMs: 0 }),
    async *synthesize(req): AsyncIterable<TtsChunk> {
      const start = Math.max(clock.now(), freeAt);
      freeAt = start + BASE_MS + MS_PER_CHAR * Array.from(req.text).length; // runs to the end, aborted or not
      requests.push({ at: start, text: req.text });
      await clock.sleep(freeAt - clock.now(), req.signal);
      yield { sampleRate: 24_000, pcm: new Int16Array(2_400 * Array.from(req.text).length) }; // 100 ms a character
    },
  };
  return { tts, requests };
}

function speaker(clock: FakeClock, tts: TtsProvider, signal: AbortSignal, startedAt: number, pieceMaxWidth?: number) {
  const noop = () => undefined;
  const logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
  return new Speaker({
    clock, tts, logger, turnId: 't', language: 'ja', signal, nextSegmentId: ((id) => () => id++)(0), prefetch: 1, paceLeadMs: 200, startedAt,
    output: { sendEvent: noop, sendAudio: () => true }, onTtsFailure: noop, ...(pieceMaxWidth === undefined ? {} : { ttsPieceMaxWidth: pieceMaxWidth }),
  });
}

/**
 * Answer 1 (two short segments, then LONG) is interrupted 1.1 s in, while the second segment is
 * sent and LONG is being synthesised ahead (unless paused since the user started speaking at 330 ms); 1.5 s later answer 2 starts. Returns
 * answer 2's first-audio delay.
 */
async function bargeInThenAsk(opts: { pieceMaxWidth?: number; pauseOnSpeech?: boolean }): Promise<{ firstAudioMs: number; requests: Array<{ at: number; text: string }> }> {
  const clock = new FakeClock();
  const server = uncancellableServer(clock);
  const first = new AbortController();
  const one = speaker(clock, server.tts, first.signal, 0, opts.pieceMaxWidth);
  one.say({ text: 'はい、', index: 0 });
  one.say({ text: 'ご案内します。', index: 1 });
  one.say({ text: LONG, index: 2 });
  const done1 = one.finish();
  // the user starts speaking while the first clause plays (sent from 320 ms; the second segment is being synthesised)
  await clock.advance(330);
  if (opts.pauseOnSpeech) one.pausePrefetch(true);
  await clock.advance(770); // barge-in confirmed while the second segment plays (LONG requested at ~800 ms unless paused)
  first.abort(new Error('barge-in'));
  await done1;
  await clock.advance(1500); // the question and the end of its turn
  const two = speaker(clock, server.tts, new AbortController().signal, clock.now(), opts.pieceMaxWidth);
  two.say({ text: NEXT, index: 0 });
  const done2 = two.finish();
  await clock.advance(10_000);
  await done2;
  return { firstAudioMs: two.ttsFirstAudioMs!, requests: server.requests };
}

describe('barge-in on a TTS server that cannot cancel', () => {
  const own = BASE_MS + MS_PER_CHAR * Array.from(NEXT).length;

  it('one request per segment (no cap): the next answer waits behind the abandoned long segment', async () => {
    const r = await bargeInThenAsk({ pieceMaxWidth: Number.POSITIVE_INFINITY });
    expect(r.requests.map((q) => q.text)).toEqual(['はい、', 'ご案内します。', LONG, NEXT]);
    expect(r.firstAudioMs).toBeGreaterThan(own + 500);
  });

  it('segments sent as pieces of at most 80 wide: the abandoned work is one piece, the next answer does not wait', async () => {
    const r = await bargeInThenAsk({});
    expect(r.requests.map((q) => q.text).slice(2, -1).join('')).not.toBe(LONG); // the pieces after the abort were never requested
    expect(r.requests.at(-1)!.text).toBe(NEXT);
    expect(r.firstAudioMs).toBe(own);
  });

  it('prefetch paused when the user starts speaking: nothing of the long segment is requested at all', async () => {
    const r = await bargeInThenAsk({ pieceMaxWidth: Number.POSITIVE_INFINITY, pauseOnSpeech: true });
    expect(r.requests.map((q) => q.text)).toEqual(['はい、', 'ご案内します。', NEXT]);
    expect(r.firstAudioMs).toBe(own);
  });
});
