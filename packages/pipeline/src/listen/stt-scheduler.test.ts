import { describe, expect, it } from 'vitest';
import { FakeClock } from '@va/testkit';
import type { ServerMessage } from '@va/protocol';
import { createOpusEncoder } from '../audio/opus.ts';
import { ProviderError, type SttProvider } from '../ports.ts';
import { defaultSessionConfig, type VadStream } from '../session/types.ts';
import { MicInput, MIC_RATE } from './mic-input.ts';
import { FINAL_TAIL_MS, PARTIAL_SILENCE_MS, SttScheduler, type FinalTranscript } from './stt-scheduler.ts';

/*
 * The STT scheduler on fake time, fed by the real mic input (Opus decode, resampling, endpointer)
 * with a scheduled VAD. The STT server is a scripted stand-in: it answers after `sttMs` with
 * Japanese words in proportion to the audio it was sent, and records every request.
 */
const WORDS = ['入園料は', 'いくら', 'ですか'];

interface Request { at: number; samples: number; language: string | undefined; signal: AbortSignal; endAt?: number }

interface HarnessOptions {
  speech: (ms: number) => boolean;
  sttMs?: number;
  fail?: (n: number) => ProviderError | null;
  language?: string;
  /**
   * whisper-server as observed: one request at a time (the rest queue), and an aborted request
   * holds the worker until `checkpointMs` after its work began. The client sees the abort at once.
   */
  checkpointMs?: number;
  /** SttSchedulerDeps.partialIntervalMs */
  partialIntervalMs?: (turnId: string) => number | null;
}

function harness(opts: HarnessOptions) {
  const clock = new FakeClock();
  const requests: Request[] = [];
  let server: Promise<unknown> = Promise.resolve();
  const work = async (r: Request, req: { pcm: Int16Array; signal?: AbortSignal }) => {
    const startedAt = clock.now();
    try {
      await clock.sleep(opts.sttMs ?? 100, req.signal);
    } catch (error) {
      if (opts.checkpointMs) await clock.sleep(Math.max(0, startedAt + opts.checkpointMs - clock.now()));
      throw error;
    }
    r.endAt = clock.now();
    const error = opts.fail?.(requests.indexOf(r) + 1);
    if (error) throw error;
    return { text: WORDS.slice(0, Math.ceil(req.pcm.length / 8000)).join('') };
  };
  const stt: SttProvider = {
    role: 'stt', type: 'script', baseUrl: 'x', health: async () => ({ ok: true, latencyMs: 0 }),
    async transcribe(req) {
      const r: Request = { at: clock.now(), samples: req.pcm.length, language: req.language, signal: req.signal };
      requests.push(r);
      if (opts.checkpointMs === undefined) return work(r, req);
      const done = server.then(() => work(r, req));
      server = done.catch(() => undefined);
      const aborted = new Promise<never>((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason), { once: true }));
      return Promise.race([done, aborted]);
    },
  };
  let frames = 0;
  const vad: VadStream = { frameSamples: 512, process: async () => (opts.speech(frames++ * 32) ? 0.95 : 0.02), reset: () => undefined };
  const events: Array<{ at: number; m: ServerMessage }> = [];
  const settled: Array<{ at: number; text: string; from: string }> = [];
  const finals: Array<FinalTranscript | null> = [];
  const noop = () => undefined;
  const logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
  let scheduler: SttScheduler | null = null;
  const mic = new MicInput(vad, { endpointer: { ...defaultSessionConfig.endpointer, redemptionMs: 480 }, maxSeconds: 30, now: () => clock.now() }, {
    onEndpoint: (e) => {
      if (e.type === 'speech_start') scheduler!.startUtterance('t1', Math.round(e.captureFromMs * (MIC_RATE / 1000)));
      if (e.type === 'speech_end') void scheduler!.finalize(Math.round(e.atMs * (MIC_RATE / 1000)), clock.now()).then((f) => finals.push(f));
    },
    onAudioProgress: (endSample, silentMs) => scheduler!.onAudio(endSample, silentMs),
    onDecodeError: noop,
  });
  scheduler = new SttScheduler(
    { clock, logger, stt, config: { partialIntervalMs: 300 }, sttLanguage: () => opts.language ?? 'ja', ...(opts.partialIntervalMs ? { partialIntervalMs: opts.partialIntervalMs } : {}) },
    mic,
    (m) => events.push({ at: clock.now(), m }),
    (_turnId, text, from) => settled.push({ at: clock.now(), text, from }),
  );
  const packet = createOpusEncoder({ frameMs: 20 }).encode(new Int16Array(960));
  let seq = 0;
  const run = async (ms: number) => {
    for (let t = 0; t < ms; t += 20) {
      await mic.push(seq++, packet);
      await clock.advance(20);
    }
  };
  const of = (type: ServerMessage['type']) => events.filter((e) => e.m.type === type);
  return { clock, requests, events, settled, finals, run, of, scheduler, mic };
}

describe('SttScheduler', () => {
  it('while the user speaks: a partial for every 300 ms of new audio, never two in flight, in Japanese', async () => {
    const h = harness({ speech: (ms) => ms >= 200 && ms < 2200, sttMs: 100 });
    await h.run(1900);
    const partials = h.of('transcript.partial');
    expect(h.requests.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < h.requests.length; i++) {
      expect(h.requests[i]!.at).toBeGreaterThanOrEqual(h.requests[i - 1]!.endAt!); // one at a time
      expect(h.requests[i]!.samples - h.requests[i - 1]!.samples).toBeGreaterThanOrEqual(0.3 * MIC_RATE);
    }
    expect(partials.map((p) => (p.m as { text: string }).text)).toEqual(['入園料は', '入園料はいくら', '入園料はいくらですか']);
    expect(h.requests.every((r) => r.language === 'ja')).toBe(true);
  });

  it('while its words are awaited (speech over the avatar being judged): a partial for every 150 ms of new audio, still one at a time', async () => {
    let judging = true;
    const h = harness({ speech: (ms) => ms >= 200 && ms < 2600, sttMs: 100, partialIntervalMs: (turnId) => (judging && turnId === 't1' ? 150 : null) });
    await h.run(1200);
    const hurried = h.requests.length;
    judging = false; // judged: back to the ordinary cadence
    await h.run(1200);
    const gaps = h.requests.slice(1).map((r, i) => (r.samples - h.requests[i]!.samples) / (MIC_RATE / 1000));
    for (let i = 1; i < h.requests.length; i++) expect(h.requests[i]!.at).toBeGreaterThanOrEqual(h.requests[i - 1]!.endAt!);
    expect(gaps.every((g) => g >= 150)).toBe(true);
    expect(gaps.slice(0, hurried - 1).some((g) => g < 300)).toBe(true);
    expect(gaps.slice(hurried).every((g) => g >= 300)).toBe(true);
    const plain = harness({ speech: (ms) => ms >= 200 && ms < 2600, sttMs: 100 });
    await plain.run(1200);
    expect(hurried).toBeGreaterThan(plain.requests.length);
  });

  it('no partials while no one wants the words (the avatar\'s echo); the early final still goes out and is the final', async () => {
    const h = harness({ speech: (ms) => ms >= 200 && ms < 2200, sttMs: 100, partialIntervalMs: () => Number.POSITIVE_INFINITY });
    await h.run(3500);
    expect(h.of('transcript.partial')).toHaveLength(0);
    expect(h.requests).toHaveLength(1);
    expect(h.finals[0]).toMatchObject({ text: '入園料はいくらですか', early: true });
  });

  it('a slow STT server gets fewer partials, not a queue of them', async () => {
    const h = harness({ speech: (ms) => ms >= 200 && ms < 2200, sttMs: 700 });
    await h.run(2000);
    expect(h.requests.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < h.requests.length; i++) expect(h.requests[i]!.at).toBeGreaterThanOrEqual(h.requests[i - 1]!.endAt!);
  });

  it('after PARTIAL_SILENCE_MS of silence: the partial settles, the final goes out early, and finalize uses it without another request', async () => {
    const h = harness({ speech: (ms) => ms >= 200 && ms < 2200, sttMs: 100 });
    await h.run(3500);
    const finalReq = h.requests.at(-1)!;
    const silenceAt = 2208; // first 32 ms VAD frame at or after 2.2 s
    expect(finalReq.at).toBeGreaterThanOrEqual(silenceAt + PARTIAL_SILENCE_MS - 20); // within a mic packet
    expect(finalReq.at).toBeLessThan(silenceAt + PARTIAL_SILENCE_MS + 60);
    // its audio: the utterance (with the VAD's pre-roll) up to FINAL_TAIL_MS into the silence
    expect(finalReq.samples / MIC_RATE * 1000).toBeLessThanOrEqual(silenceAt + FINAL_TAIL_MS);
    // reported settled twice: the last partial at once, then the early final's words
    expect(h.settled.map((s) => s.from)).toEqual(['partial', 'final']);
    expect(h.settled[0]!.at).toBeLessThanOrEqual(finalReq.at);
    expect(h.settled[1]).toMatchObject({ at: finalReq.endAt, text: '入園料はいくらですか' });
    expect(h.finals).toHaveLength(1);
    expect(h.finals[0]).toMatchObject({ turnId: 't1', text: '入園料はいくらですか', early: true, sttMs: 0 });
    expect(h.of('transcript.final')).toHaveLength(1);
    expect(h.requests.filter((r) => r.at > finalReq.at)).toHaveLength(0);
  });

  it('no partial starts once a silence has begun: the early final is not held behind one', async () => {
    // at 300 ms of new audio a partial would be due at 2300, 60 ms into the silence that began at 2240
    const h = harness({ speech: (ms) => ms >= 200 && ms < 2240, sttMs: 100 });
    await h.run(3500);
    const afterSpeech = h.requests.filter((r) => r.at >= 2240);
    expect(afterSpeech).toHaveLength(1); // the early final only
    expect(afterSpeech[0]!.at).toBeGreaterThanOrEqual(2240 + PARTIAL_SILENCE_MS - 20);
    expect(afterSpeech[0]!.at).toBeLessThan(2240 + PARTIAL_SILENCE_MS + 40);
    expect(h.settled.at(-1)).toMatchObject({ from: 'final', text: '入園料はいくらですか', at: afterSpeech[0]!.endAt });
    expect(h.finals[0]).toMatchObject({ text: '入園料はいくらですか', early: true, sttMs: 0 });
  });

  it('while speech over the avatar is judged, partials go on into a silence (each one can decide)', async () => {
    // a partial is due 40 ms into the silence; unhurried, none starts there (the early final comes at ~64 ms)
    const inSilence = (h: ReturnType<typeof harness>) => h.requests.filter((r) => r.at >= 2260 && r.at < 2260 + PARTIAL_SILENCE_MS - 20);
    const hurried = harness({ speech: (ms) => ms >= 200 && ms < 2260, sttMs: 100, partialIntervalMs: () => 150 });
    await hurried.run(3500);
    expect(inSilence(hurried).length).toBeGreaterThanOrEqual(1);
    const unhurried = harness({ speech: (ms) => ms >= 200 && ms < 2260, sttMs: 100 });
    await unhurried.run(3500);
    expect(inSilence(unhurried)).toHaveLength(0);
  });

  it('speech resuming within the silence leaves the early final unused (never aborted); the final then covers all the speech', async () => {
    const h = harness({ speech: (ms) => (ms >= 200 && ms < 1000) || (ms >= 1300 && ms < 2300), sttMs: 100 });
    await h.run(4000);
    expect(h.requests.filter((r) => r.signal.aborted)).toHaveLength(0);
    const inPause = h.requests.filter((r) => r.at > 1000 + PARTIAL_SILENCE_MS && r.at < 1300 + 100);
    expect(inPause.length).toBeGreaterThanOrEqual(1);
    expect(h.finals).toHaveLength(1);
    expect(h.finals[0]!.text).toBe('入園料はいくらですか');
    expect(h.finals[0]!.early).toBe(true);
  });

  it('sends the configured language: auto stays auto', async () => {
    const h = harness({ speech: (ms) => ms >= 200 && ms < 1200, language: 'auto' });
    await h.run(2500);
    expect(h.requests.length).toBeGreaterThan(1);
    expect(new Set(h.requests.map((r) => r.language))).toEqual(new Set(['auto']));
  });

  it('a retryable failure of the final is retried once; a second failure reports stt_failed and no final', async () => {
    const busy = () => new ProviderError({ provider: 'stt', code: 'unavailable', message: '503', retryable: true });
    const once = harness({ speech: (ms) => ms >= 200 && ms < 700, fail: (n) => (n === 2 ? busy() : null) });
    await once.run(2500);
    expect(once.finals[0]?.text).toBeTruthy();
    const always = harness({ speech: (ms) => ms >= 200 && ms < 700, fail: (n) => (n >= 2 ? busy() : null) });
    await always.run(2500);
    expect(always.finals).toEqual([null]);
    expect(always.of('error').map((e) => (e.m as { code: string }).code)).toEqual(['stt_failed']);
    expect(always.of('transcript.final')).toHaveLength(0);
  });

  describe('on a server that notices an abort only at its next checkpoint (whisper-server)', () => {
    const STT = 150;
    const CHECKPOINT = 1000;

    it('the final never waits behind an aborted request: a partial in flight at the end of speech is let finish', async () => {
      let partialInFlightAtEnd = 0;
      for (let end = 1500; end <= 2100; end += 40) {
        const h = harness({ speech: (ms) => ms >= 200 && ms < end, sttMs: STT, checkpointMs: CHECKPOINT });
        await h.run(end + 1500);
        const endpointAt = end + 480;
        if (h.requests.some((r) => r.at < endpointAt && (r.endAt ?? Infinity) > endpointAt - 480 + PARTIAL_SILENCE_MS && r.at < end + PARTIAL_SILENCE_MS - 20)) partialInFlightAtEnd++;
        expect(h.requests.filter((r) => r.signal.aborted)).toHaveLength(0);
        expect(h.finals).toHaveLength(1);
        expect(h.finals[0]!.text).toBe('入園料はいくらですか');
        // at most what was left of one request and the final's own
        expect(h.finals[0]!.sttMs).toBeLessThanOrEqual(2 * STT);
      }
      expect(partialInFlightAtEnd).toBeGreaterThan(0);
    });

    it('speech resuming while the early final runs: it is let finish (not settled), and the next requests never queue behind a checkpoint', async () => {
      // a 130 ms pause: the early final goes out at 96 ms and is still running when speech resumes
      const h = harness({ speech: (ms) => (ms >= 200 && ms < 1200) || (ms >= 1330 && ms < 2300), sttMs: STT, checkpointMs: CHECKPOINT });
      await h.run(4000);
      expect(h.requests.filter((r) => r.signal.aborted)).toHaveLength(0);
      const earlyInPause = h.requests.find((r) => r.at > 1200 + PARTIAL_SILENCE_MS - 40 && r.at < 1330);
      expect(earlyInPause).toBeDefined();
      for (let i = 1; i < h.requests.length; i++) expect(h.requests[i]!.at).toBeGreaterThanOrEqual(h.requests[i - 1]!.endAt!);
      // the abandoned early final's words are not reported as settled (only the partial before it was)
      expect(h.settled.filter((s) => s.at < 2300).map((s) => s.from)).toEqual(['partial']);
      expect(h.finals).toHaveLength(1);
      expect(h.finals[0]).toMatchObject({ text: '入園料はいくらですか', early: true });
      expect(h.finals[0]!.sttMs).toBeLessThanOrEqual(STT);
    });
  });
});
