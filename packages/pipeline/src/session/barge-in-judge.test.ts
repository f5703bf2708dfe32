import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '@va/testkit';
import { japaneseSpeech } from '@va/testkit';
import { defaultBargeInOptions } from '../listen/backchannel.ts';
import { EchoGuard } from '../listen/echo-guard.ts';
import { resampleOnce } from '../audio/resampler.ts';
import { decodeWavMono } from '../audio/wav.ts';
import { BargeInJudge } from './barge-in.ts';

/*
 * The judge of speech over the avatar with a real echo guard, on fake time: the avatar's voice
 * (Open JTalk) is played from t = 0 and may come back into the mic; the user's sounds are real
 * audio; the VAD's and the recogniser's events are scripted at the times they would come.
 */
const RATE = 16_000;
const PACKET_MS = 20;

let avatar: Int16Array;
let user: Int16Array;
/** Where the user's speech starts in its clip (ms), from Open JTalk's labels. */
let userOnsetMs = 0;
/** Where the avatar's voice becomes audible in its clip (ms): Open JTalk starts with a silence. */
let avatarOnsetMs = 0;

beforeAll(async () => {
  const a = await japaneseSpeech('はい、駐車場は正面と東側の二か所にあり、合わせて三百台とめられます。週末は混み合います。', { sampleRate: RATE });
  avatar = a.pcm;
  avatarOnsetMs = (a.labels.find((l) => l.phoneme !== 'sil' && l.phoneme !== 'pau')?.start ?? 0) * 1000;
  const u = await japaneseSpeech('ちょっと待ってください、入園料はいくらですか。', { sampleRate: RATE });
  user = u.pcm;
  userOnsetMs = (u.labels.find((l) => l.phoneme !== 'sil' && l.phoneme !== 'pau')?.start ?? 0) * 1000;
}, 60_000);

interface Setup {
  echo: { readonly delayMs: number; readonly gain: number } | null;
  /** Extra mic sounds: samples in [-1, 1] at a time (ms). */
  sounds?: Array<[Float32Array, number]>;
  /** When the running answer's first audio was sent, as the session tells the judge (default: none). */
  voiceOnsetAt?: number;
  /** The avatar's audio reaches the guard as it is sent (default: all of it at the start). */
  livePlayback?: boolean;
}


function setup(opts: Setup) {
  const clock = new FakeClock();
  const guard = new EchoGuard();
  let sent = 0;
  /** Sends the avatar's audio up to `untilMs` (640 samples, 40 ms a packet). */
  const sendPlayback = (untilMs: number) => {
    for (; sent < avatar.length && (sent / RATE) * 1000 <= untilMs; sent += 640) guard.playback(avatar.subarray(sent, sent + 640), RATE, (sent / RATE) * 1000);
  };
  sendPlayback(opts.livePlayback ? 0 : Number.POSITIVE_INFINITY);
  const totalMs = 8000;
  const mic = new Float32Array((totalMs / 1000) * RATE);
  let x = 7;
  for (let i = 0; i < mic.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    mic[i] = ((x / 4294967296) * 2 - 1) * 0.001;
  }
  if (opts.echo) {
    const d = Math.round((opts.echo.delayMs / 1000) * RATE);
    for (let i = 0; i < avatar.length && i + d < mic.length; i++) mic[i + d]! += (avatar[i]! / 32768) * opts.echo.gain;
  }
  for (const [pcm, atMs] of opts.sounds ?? []) {
    const at = Math.round((atMs / 1000) * RATE);
    for (let i = 0; i < pcm.length && at + i < mic.length; i++) mic[at + i]! += pcm[i]!;
  }
  const acts: Array<{ at: number; act: string }> = [];
  const noop = () => undefined;
  const logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
  const judge = new BargeInJudge(clock, guard, { ...defaultBargeInOptions, duckLevel: 0.3 }, {
    duck: (level) => acts.push({ at: clock.now(), act: `duck ${level}` }),
    interrupt: (goesOn) => acts.push({ at: clock.now(), act: goesOn ? `interrupt, going on in ${goesOn}` : 'interrupt' }),
    acknowledge: () => acts.push({ at: clock.now(), act: 'nod' }),
    avatarSpeaking: () => true,
    voiceStarted: () => true,
    voiceOnsetAt: () => opts.voiceOnsetAt ?? null,
  }, logger);
  const perPacket = (PACKET_MS / 1000) * RATE;
  /** Runs the mic until `untilMs`; `each` after every packet (the VAD's and recogniser's script). */
  const run = async (untilMs: number, each: (now: number) => void = noop) => {
    while (clock.now() < untilMs) {
      const from = Math.round((clock.now() / 1000) * RATE);
      await clock.advance(PACKET_MS);
      sendPlayback(clock.now());
      guard.micAudio(mic.subarray(from, from + perPacket), RATE, clock.now() - PACKET_MS);
      judge.sound();
      each(clock.now());
    }
  };
  return { clock, judge, acts, run };
}

const japanese = (pcm: Int16Array, gain: number) => Float32Array.from(pcm, (s) => (s / 32768) * gain);

/**
 * ちょっと待ってください said at `userAt` (ms), its first phoneme in the packet ending at `first`:
 * the VAD's first frame above 0.35 comes ~130 ms into ちょ (measured on this clip), speech_start
 * 160 ms later; a partial (ちょっと) at 300 ms of speech. Returns that packet time.
 */
async function sayWait(h: ReturnType<typeof setup>, userAt: number): Promise<number> {
  const first = Math.ceil((userAt + userOnsetMs) / PACKET_MS) * PACKET_MS;
  await heardAsSpeech(h, first, 'ちょっと', 460);
  return first;
}

/** The VAD's and recogniser's script for a sound that starts at `first` (ms): utterance t2, its `words` at `first + wordsAfter`. */
async function heardAsSpeech(h: ReturnType<typeof setup>, first: number, words: string, wordsAfter: number): Promise<void> {
  let spoken = 0;
  await h.run(first + wordsAfter + 240, (now) => {
    if (now === first + 140) h.judge.maybeSpeech();
    if (now === first + 300) h.judge.speechStart('t2');
    if (now > first + 300) h.judge.speaking((spoken += PACKET_MS) + 140, 0);
    if (now === first + wordsAfter) h.judge.words('t2', words);
  });
}

describe('BargeInJudge with the echo guard', () => {
  it('a knock while the avatar speaks ducks it at once; with no speech heard the voice comes back up; no stop, no nod', async () => {
    const knock = new Float32Array(480).map((_, i) => 0.3 * Math.sin(i / 3) * Math.exp(-i / 200));
    const h = setup({ echo: null, sounds: [[knock, 3000]] });
    await h.run(4500);
    expect(h.acts.map((a) => a.act)).toEqual(['duck 0.3', 'duck 1']);
    expect(h.acts[0]!.at).toBeLessThanOrEqual(3000 + 2 * PACKET_MS);
    expect(h.acts[1]!.at - h.acts[0]!.at).toBeLessThan(500);
  });

  it.each([
    ['in a quiet room', null, 60],
    ['over the avatar\'s echo', { delayMs: 120, gain: 0.1 }, 160],
  ] as const)('ちょっと待ってください %s: ducked from its sound (within %o ms), then stopped by its words', async (_room, echo, within) => {
    const h = setup({ echo, sounds: [[japanese(user, 1), 3000]] });
    const first = await sayWait(h, 3000);
    expect(h.acts.map((a) => a.act)).toEqual(['duck 0.3', 'interrupt']);
    expect(h.acts[0]!.at - first).toBeLessThanOrEqual(within);
    expect(h.acts[1]!.at).toBe(first + 460);
  });

  it.each([0.1, 0.05, 0.03])('the avatar\'s own echo (gain %s) as it starts, heard as speech by the VAD, is never ducked and is judged echo', async (gain) => {
    const h = setup({ echo: { delayMs: 120, gain } });
    let spoken = 0;
    const wanted: string[] = [];
    await h.run(2600, (now) => {
      if (now === 560) h.judge.maybeSpeech();
      if (now === 720) h.judge.speechStart('t2');
      if (now === 740 || now === 2580) wanted.push(h.judge.wordsWanted('t2'));
      if (now > 720) h.judge.speaking((spoken += PACKET_MS) + 160, 0);
      if (now === 1000) h.judge.words('t2', 'はい、駐車場は');
    });
    expect(h.acts, JSON.stringify(h.acts)).toEqual([]);
    expect(h.judge.ignored('t2')).toBe(true);
    expect(wanted).toEqual(['sooner', 'no']); // its words while judged; none once it is known to be echo
  });
});

describe('BargeInJudge: a burst that ended is let go on only on words that cover it', () => {
  async function burst(partial: string, final: string) {
    const h = setup({ echo: null });
    await h.run(1000); // the avatar's voice started a while ago
    h.judge.maybeSpeech();
    h.judge.speechStart('t2');
    h.judge.speaking(300, 0);
    h.judge.words('t2', partial); // covers the speech up to a moment ago
    h.judge.speaking(300, 260); // silence: the burst has ended
    const before = h.acts.map((a) => a.act);
    h.judge.words('t2', final, true); // the early final: all of it
    return { before, after: h.acts.map((a) => a.act).slice(before.length), judge: h.judge, acts: () => h.acts.map((a) => a.act) };
  }

  it('a partial はい, then the final はい、違います: not a backchannel, it stops the avatar', async () => {
    const r = await burst('はい', 'はい、違います');
    expect(r.before).toEqual(['duck 0.3']);
    expect(r.after).toEqual(['interrupt']);
  });

  it('a partial はい, then the final はい: a backchannel (voice back up, a nod), not a turn', async () => {
    const r = await burst('はい', 'はい');
    expect(r.before).toEqual(['duck 0.3']);
    expect(r.after).toEqual(['duck 1', 'nod']);
    expect(r.judge.ignored('t2')).toBe(true);
  });

  it('a new utterance while the last one\'s words are still awaited is judged on its own: 違います stops the avatar', async () => {
    const h = setup({ echo: null });
    await h.run(1000);
    h.judge.maybeSpeech();
    h.judge.speechStart('t2');
    h.judge.speaking(300, 0);
    h.judge.words('t2', 'はい');
    h.judge.speechEnd('t2'); // its final is still on its way (and never comes)
    h.judge.speechStart('t3');
    h.judge.speaking(400, 0);
    h.judge.words('t3', '違います');
    expect(h.acts.map((a) => a.act)).toEqual(['duck 0.3', 'duck 1', 'duck 0.3', 'interrupt']);
  });

  it('はい, a pause, then でも違います in the same utterance: the backchannel nods, what follows it stops the avatar and is a turn', async () => {
    const r = await burst('はい', 'はい');
    expect(r.after).toEqual(['duck 1', 'nod']);
    r.judge.speaking(320, 0); // the user goes on: the VAD's utterance had not ended
    r.judge.speaking(700, 0);
    r.judge.words('t2', 'はい、でも違います');
    expect(r.judge.ignored('t2')).toBe(false);
    expect(r.acts()).toEqual(['duck 0.3', 'duck 1', 'nod', 'duck 0.3', 'interrupt']);
  });

  it('うん, a pause, then うん again: two nods, never a stop', async () => {
    const r = await burst('うん', 'うん');
    r.judge.speaking(320, 0);
    r.judge.speaking(500, 0);
    r.judge.words('t2', 'うん、うん');
    r.judge.speaking(500, 260);
    r.judge.words('t2', 'うん、うん', true);
    expect(r.acts()).toEqual(['duck 0.3', 'duck 1', 'nod', 'duck 0.3', 'duck 1', 'nod']);
    expect(r.judge.ignored('t2')).toBe(true);
  });

  it.each([
    ['its words still lag the audio by 350 ms', false, ['duck 0.3', 'duck 1', 'nod']],
    ['"okay," is all the words there are', true, ['duck 0.3', 'interrupt']],
  ] as const)('"okay, got it" over 1.1 s of speech, at 950 ms %s', async (_case, covered, acts) => {
    const h = setup({ echo: null });
    await h.run(1000);
    h.judge.maybeSpeech();
    h.judge.speechStart('t2');
    h.judge.speaking(600, 0);
    h.judge.words('t2', 'okay,', false, h.clock.now()); // "okay," covers the first 600 ms
    await h.clock.advance(350);
    if (covered) h.judge.words('t2', 'okay,', false, h.clock.now());
    h.judge.speaking(950, 0);
    await h.clock.advance(410);
    h.judge.speaking(1100, 260);
    h.judge.words('t2', 'okay, got it', true, h.clock.now() - 260);
    expect(h.acts.map((a) => a.act)).toEqual(acts);
  });

  it('English misheard by the recogniser: a partial "Ta." then the final "Stop." stops the avatar', async () => {
    const r = await burst('Ta.', 'Stop.');
    expect(r.after).toEqual(['interrupt']);
  });
});

describe('BargeInJudge: English words too few to judge, syllables from the audio', () => {
  /** espeak-ng speech at 16 kHz as mic samples in [-1, 1], and where its sound starts (ms). */
  function espeak(text: string): { pcm: Float32Array; onsetMs: number } {
    const { sampleRate, pcm } = decodeWavMono(new Uint8Array(execFileSync('espeak-ng', ['-v', 'en-us', '--stdout', text])));
    const s = resampleOnce(pcm, sampleRate, RATE);
    const onset = s.findIndex((v) => Math.abs(v) > 1000);
    return { pcm: Float32Array.from(s, (v) => (v / 32768) * 0.5), onsetMs: (onset / RATE) * 1000 };
  }

  /** The user speaks at 3000 ms; the recogniser's one or two odd words arrive 300 ms into the speech. */
  async function heard(text: string, words: string) {
    const clip = espeak(text);
    const first = Math.ceil((3000 + clip.onsetMs) / PACKET_MS) * PACKET_MS;
    const h = setup({ echo: null, sounds: [[clip.pcm, 3000]] });
    let spoken = 0;
    await h.run(first + 700, (now) => {
      if (now === first + 60) h.judge.maybeSpeech();
      if (now === first + 200) h.judge.speechStart('t2');
      if (now > first + 200) h.judge.speaking((spoken += PACKET_MS) + 140, 0);
      if (now === first + 300) h.judge.words('t2', words);
    });
    return { acts: h.acts.map((a) => ({ act: a.act, after: a.at - first })) };
  }

  it('"what about the parking lot instead" heard as "What a.": stopped once it has more syllables than a backchannel, before 700 ms of speech', async () => {
    const r = await heard('what about the parking lot instead', 'What a.');
    expect(r.acts.map((a) => a.act)).toEqual(['duck 0.3', 'interrupt']);
    expect(r.acts[1]!.after).toBeLessThan(700);
  });

  it('"mm hmm" heard as "Where luke.": not stopped while it lasts', async () => {
    const r = await heard('mm hmm', 'Where luke.');
    expect(r.acts.map((a) => a.act)).not.toContain('interrupt');
  });
});

describe('BargeInJudge: speech too soon after a new answer\'s voice to answer it', () => {
  /** The avatar's voice plays from 0 (the guard learns the room from it); a new answer's first audio is said to go out at 3000 ms. */
  const VOICE_AT = 3000;

  async function sayAt(userAt: number, voiceOnsetAt: number) {
    const h = setup({ echo: null, sounds: [[japanese(user, 1), userAt]], voiceOnsetAt });
    const first = await sayWait(h, userAt);
    return { acts: h.acts.map((a) => ({ act: a.act, after: a.at - first })) };
  }

  it('ちょっと待ってください begun 40 ms after it (no echo path: headphones): the user going on, stopped once the VAD confirms it, before any words', async () => {
    const r = await sayAt(VOICE_AT + 40 - userOnsetMs, VOICE_AT);
    expect(r.acts.map((a) => a.act)).toEqual(['duck 0.3', 'interrupt, going on in t2']);
    expect(r.acts[1]!.after).toBeLessThanOrEqual(300 + PACKET_MS); // the packet after speech_start, before its words (460)
  });

  it('the same begun 400 ms after it: an answer to the avatar, judged by its words as usual', async () => {
    const r = await sayAt(VOICE_AT + 400 - userOnsetMs, VOICE_AT);
    expect(r.acts.map((a) => a.act)).toEqual(['duck 0.3', 'interrupt']);
    expect(r.acts[1]!.after).toBe(460);
  });

  describe('the first answer with speakers: the echo is learned while the user may already be talking', () => {
    /**
     * The session's first answer, audible from avatarOnsetMs (its first audio, as the judge is told),
     * its echo 120 ms later at gain 0.1, unknown to the guard until heard; the user's first phoneme
     * `after` ms after the voice's.
     */
    async function firstAnswer(after: number) {
      const userAt = avatarOnsetMs + after - userOnsetMs;
      const h = setup({ echo: { delayMs: 120, gain: 0.1 }, sounds: [[japanese(user, 1), userAt]], voiceOnsetAt: avatarOnsetMs, livePlayback: true });
      const first = Math.ceil((userAt + userOnsetMs) / PACKET_MS) * PACKET_MS;
      await heardAsSpeech(h, first, 'ちょっと', 460);
      await h.run(first + 1200);
      return h.acts.map((a) => a.act);
    }

    it('ちょっと待ってください begun 100 ms after its first audio: once the echo is known, the user going on', async () => {
      expect(await firstAnswer(100)).toContain('interrupt, going on in t2');
    });

    it('the same begun 400 ms after: an answer to the avatar, judged by its words', async () => {
      const acts = await firstAnswer(400);
      expect(acts).toContain('interrupt');
      expect(acts).not.toContain('interrupt, going on in t2');
    });

    it('its echo alone, heard as speech by the VAD from its start, is neither the user going on nor an interruption', async () => {
      const h = setup({ echo: { delayMs: 120, gain: 0.1 }, voiceOnsetAt: avatarOnsetMs, livePlayback: true });
      await heardAsSpeech(h, Math.ceil((avatarOnsetMs + 120) / PACKET_MS) * PACKET_MS, 'はい、駐車場は', 600);
      await h.run(2000);
      expect(h.acts.map((a) => a.act).filter((a) => a.startsWith('interrupt'))).toEqual([]);
    });
  });

  it.each([0.1, 0.03])('the new answer\'s own echo (gain %s) right after its first audio, heard as speech by the VAD, is not taken for the user going on', async (gain) => {
    const h = setup({ echo: { delayMs: 120, gain }, voiceOnsetAt: VOICE_AT });
    await heardAsSpeech(h, VOICE_AT, '合わせて三百台', 600);
    expect(h.acts.map((a) => a.act).filter((a) => a.startsWith('interrupt'))).toEqual([]);
  });
});
