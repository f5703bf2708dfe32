import { beforeAll, describe, expect, it } from 'vitest';
import { japaneseSpeech } from '@va/testkit';
import { EchoGuard } from './echo-guard.ts';

/*
 * Real speech: the avatar's voice (Open JTalk) and a user's (another Open JTalk sentence, louder),
 * mixed as a laptop would: the avatar's voice comes back into the mic at -20 dB, some time after
 * it was sent (network + jitter buffer + room), over a quiet noise floor.
 */
const RATE = 16_000;
const PACKET = 320; // 20 ms

let avatar: Int16Array;
/** Where the avatar's voice starts in its clip (ms). */
let avatarOnsetMs = 0;
let user: Int16Array;
/** A short answer (はい、), a short backchannel (うん) and where their speech starts (ms). */
let hai: Int16Array;
let un: Int16Array;
let unOnsetMs = 0;
let question: Int16Array;
/** Where the user's speech starts in its clip (ms), from Open JTalk's labels. */
let userOnsetMs = 0;

beforeAll(async () => {
  const a = await japaneseSpeech('はい、駐車場は正面と東側の二か所にあり、合わせて三百台とめられます。週末は混み合います。', { sampleRate: RATE });
  avatar = a.pcm;
  avatarOnsetMs = (a.labels.find((l) => l.phoneme !== 'sil' && l.phoneme !== 'pau')?.start ?? 0) * 1000;
  const u = await japaneseSpeech('ちょっと待ってください、入園料はいくらですか。', { sampleRate: RATE });
  user = u.pcm;
  userOnsetMs = (u.labels.find((l) => l.phoneme !== 'sil' && l.phoneme !== 'pau')?.start ?? 0) * 1000;
  hai = (await japaneseSpeech('はい、', { sampleRate: RATE })).pcm;
  const n = await japaneseSpeech('うん', { sampleRate: RATE });
  un = n.pcm;
  unOnsetMs = (n.labels.find((l) => l.phoneme !== 'sil' && l.phoneme !== 'pau')?.start ?? 0) * 1000;
  question = (await japaneseSpeech('駐車場は何台とめられますか。', { sampleRate: RATE })).pcm;
}, 60_000);

function noise(n: number, seed = 7): Float32Array {
  let x = seed;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = ((x / 4294967296) * 2 - 1) * 0.001;
  }
  return out;
}

/** The avatar is audibly speaking over most of [fromMs, fromMs + ms). */
function loud(pcm: Int16Array, fromMs: number, ms: number): boolean {
  let n = 0;
  const frames = ms / 10;
  for (let f = 0; f < frames; f++) {
    const a = Math.round(((fromMs + f * 10) / 1000) * RATE);
    let sum = 0;
    for (let i = a; i < a + 160 && i < pcm.length; i++) sum += (pcm[i]! / 32768) ** 2;
    if (Math.sqrt(sum / 160) * 0.1 > 0.004) n++;
  }
  return n > frames / 2;
}

/** Sends the avatar's audio at t = 0 (paced at real time) and feeds the mic 20 ms at a time. */
function run(
  opts: { delayMs: number; echoGain: number; userAtMs?: number; userGain?: number },
  probes: Array<[number, number]> = [],
): { guard: EchoGuard; shares: number[] } {
  const guard = new EchoGuard();
  for (let i = 0; i < avatar.length; i += 640) guard.playback(avatar.subarray(i, i + 640), RATE, (i / RATE) * 1000);
  const total = avatar.length + RATE;
  const mic = noise(total);
  const d = Math.round((opts.delayMs / 1000) * RATE);
  for (let i = 0; i < avatar.length && i + d < total; i++) mic[i + d]! += (avatar[i]! / 32768) * opts.echoGain;
  const u = Math.round(((opts.userAtMs ?? 0) / 1000) * RATE);
  if (opts.userAtMs !== undefined) for (let i = 0; i < user.length && u + i < total; i++) mic[u + i]! += (user[i]! / 32768) * (opts.userGain ?? 1);
  const shares: number[] = [];
  let next = 0;
  for (let i = 0; i + PACKET <= total; i += PACKET) {
    guard.micAudio(mic.subarray(i, i + PACKET), RATE, (i / RATE) * 1000);
    const now = ((i + PACKET) / RATE) * 1000;
    // asked as the listener asks: as soon as the audio of the window has arrived
    while (next < probes.length && probes[next]![1] <= now) shares.push(guard.userShareOf(...probes[next++]!));
  }
  return { guard, shares };
}

describe('EchoGuard on real speech', () => {
  it.each([30, 80, 300, 600])('finds the avatar coming back %i ms late and calls it echo', (delayMs) => {
    const end = (avatar.length / RATE) * 1000;
    const probes: Array<[number, number]> = [];
    for (let t = 1500; t + 400 < end; t += 250) if (loud(avatar, t - delayMs, 400)) probes.push([t, t + 400]);
    const { guard, shares } = run({ delayMs, echoGain: 0.1 }, probes);
    expect(guard.echoDelayMs).not.toBeNull();
    expect(Math.abs(guard.echoDelayMs! - delayMs)).toBeLessThanOrEqual(20);
    expect(shares.length).toBeGreaterThan(8);
    expect(Math.max(...shares), shares.map((x) => x.toFixed(2)).join(' ')).toBeLessThan(0.5);
  });

  it('in a quiet room, a quiet echo (-30 dB) is found too: the mic\'s floor follows the room', () => {
    const end = (avatar.length / RATE) * 1000;
    const probes: Array<[number, number]> = [];
    for (let t = 1500; t + 400 < end; t += 250) if (loud(avatar, t - 120, 400)) probes.push([t, t + 400]);
    const { guard, shares } = run({ delayMs: 120, echoGain: 0.03 }, probes);
    expect(guard.echoDelayMs).not.toBeNull();
    expect(Math.abs(guard.echoDelayMs! - 120)).toBeLessThanOrEqual(20);
    expect(Math.max(...shares)).toBeLessThan(0.5);
  });

  it('the user talking over the echo is the user', () => {
    const on = 3000 + userOnsetMs;
    const { guard, shares } = run({ delayMs: 250, echoGain: 0.1, userAtMs: 3000, userGain: 0.6 }, [[on + 60, on + 260], [on + 300, on + 800], [on + 800, on + 1500]]);
    for (const share of shares) expect(share, `${shares.join(" ")} delay=${String(guard.echoDelayMs)}`).toBeGreaterThan(0.5);
  });

  it('with no echo in the room, speech during playback is the user', () => {
    const { guard, shares } = run({ delayMs: 0, echoGain: 0, userAtMs: 2000, userGain: 0.6 }, [[2100, 2500]]);
    expect(guard.echoDelayMs).toBeNull();
    expect(shares[0]).toBe(1);
  });

  it('after playback is cleared, nothing is taken for echo', () => {
    const { guard } = run({ delayMs: 100, echoGain: 0.1 });
    guard.playbackCleared(0);
    const end = (avatar.length / RATE) * 1000;
    expect(guard.isEcho(end - 400, end)).toBe(false);
  });
});

/** Sounds placed on the mic's timeline (ms), the avatar's audio sent at `avatarAtMs`; `each` after every 20 ms packet. */
function replay(opts: { avatar: Int16Array; avatarAtMs: number; delayMs: number; echoGain: number; mic: Array<[Int16Array, number, number]>; totalMs: number }, each: (g: EchoGuard, nowMs: number) => void): EchoGuard {
  const guard = new EchoGuard();
  const at = Math.round((opts.avatarAtMs / 1000) * RATE);
  for (let i = 0; i < opts.avatar.length; i += 640) guard.playback(opts.avatar.subarray(i, i + 640), RATE, ((at + i) / RATE) * 1000);
  const total = Math.round((opts.totalMs / 1000) * RATE);
  const mic = noise(total);
  const add = (pcm: Int16Array, fromMs: number, gain: number) => {
    const from = Math.round((fromMs / 1000) * RATE);
    for (let i = 0; i < pcm.length && from + i < total; i++) mic[from + i]! += (pcm[i]! / 32768) * gain;
  };
  add(opts.avatar, opts.avatarAtMs + opts.delayMs, opts.echoGain);
  for (const [pcm, fromMs, gain] of opts.mic) add(pcm, fromMs, gain);
  for (let i = 0; i + PACKET <= total; i += PACKET) {
    guard.micAudio(mic.subarray(i, i + PACKET), RATE, (i / RATE) * 1000);
    each(guard, ((i + PACKET) / RATE) * 1000);
  }
  return guard;
}

describe('EchoGuard: a sound starting, and the start of the avatar\'s voice', () => {
  /** Onsets (packet times) while the guard is not settling, for ちょっと待ってください said at `userAt`. */
  function onsets(echoGain: number, userAt: number): number[] {
    const out: number[] = [];
    replay({ avatar, avatarAtMs: 0, delayMs: 120, echoGain, mic: [[user, userAt, 0.6]], totalMs: userAt + 2000 }, (g, now) => {
      if (g.userOnset() && !g.settling(now)) out.push(now);
    });
    return out;
  }

  it.each([2500, 4000])('ちょっと待ってください at %i ms: an onset a few packets after its first phoneme, with or without the echo; the echo alone makes none', (userAt) => {
    const first = userAt + userOnsetMs;
    for (const [echoGain, within] of [[0, 120], [0.1, 160]] as const) {
      const heard = onsets(echoGain, userAt);
      expect(heard.filter((t) => t < first), `echo gain ${echoGain}`).toEqual([]);
      expect(heard[0], `echo gain ${echoGain}`).toBeLessThanOrEqual(first + within);
    }
  });

  it('from the start of the avatar\'s voice until its echo delay is learned the guard is settling, though the user\'s question is still in its window; then it is not', () => {
    const start = 2000;
    const voice = start + avatarOnsetMs;
    let learnedAt: number | null = null;
    const settling: number[] = [];
    const times: number[] = [];
    replay({ avatar, avatarAtMs: start, delayMs: 120, echoGain: 0.1, mic: [[question, 0, 0.6]], totalMs: 5000 }, (g, now) => {
      times.push(now);
      if (g.settling(now)) settling.push(now);
      if (learnedAt === null && g.echoDelayMs !== null) learnedAt = now;
    });
    expect(learnedAt).not.toBeNull();
    expect(Math.abs(settling[0]! - voice)).toBeLessThanOrEqual(60); // a 40 ms playback chunk, a 20 ms packet
    // はい、 then a pause: the delay is confirmed on the next words
    expect(learnedAt!).toBeLessThan(voice + 1500);
    expect(settling).toEqual(times.filter((t) => t >= settling[0]! && t < learnedAt!));
  });

  it('a うん in a pause of the avatar\'s voice that matches its はい is not taken for its echo (no echo in the room)', () => {
    for (const afterMs of [300, 500, 700]) {
      const guard = replay({ avatar: hai, avatarAtMs: 1000, delayMs: 0, echoGain: 0, mic: [[un, 1000 + afterMs - unOnsetMs, 0.8]], totalMs: 3500 }, () => undefined);
      expect(guard.echoDelayMs, `うん ${afterMs} ms after はい`).toBeNull();
    }
  });

  /**
   * Two answers 2 s apart, sent as a session sends them (each 40 ms chunk when its time comes), the
   * mic hearing them at `echoGain` 120 ms late over a quiet room.
   */
  function twoAnswers(echoGain: number): { noPathAt: number | null; settlingInSecond: number[]; secondAt: number } {
    const guard = new EchoGuard();
    const startMs = 500;
    const secondAt = startMs + ((avatar.length + 2 * RATE) / RATE) * 1000;
    const totalMs = secondAt + (avatar.length / RATE) * 1000 + 500;
    const total = Math.round((totalMs / 1000) * RATE);
    const mic = noise(total);
    const chunks: Array<[number, Int16Array]> = [];
    for (const at of [startMs, secondAt]) {
      for (let i = 0; i < avatar.length; i += 640) chunks.push([at + (i / RATE) * 1000, avatar.subarray(i, i + 640)]);
      const from = Math.round(((at + 120) / 1000) * RATE);
      for (let i = 0; i < avatar.length && from + i < total; i++) mic[from + i]! += (avatar[i]! / 32768) * echoGain;
    }
    let noPathAt: number | null = null;
    const settlingInSecond: number[] = [];
    let next = 0;
    for (let i = 0; i + PACKET <= total; i += PACKET) {
      const now = ((i + PACKET) / RATE) * 1000;
      while (next < chunks.length && chunks[next]![0] <= now) guard.playback(chunks[next]![1], RATE, chunks[next++]![0]);
      guard.micAudio(mic.subarray(i, i + PACKET), RATE, (i / RATE) * 1000);
      if (noPathAt === null && guard.noEchoPath) noPathAt = now;
      if (now >= secondAt && guard.settling(now)) settlingInSecond.push(now);
    }
    return { noPathAt, settlingInSecond, secondAt };
  }

  it('with headphones (no echo at all) the guard learns there is no echo path during the first answer and does not hold back the next one', () => {
    const r = twoAnswers(0);
    expect(r.noPathAt).not.toBeNull();
    expect(r.noPathAt!).toBeLessThan(r.secondAt);
    expect(r.settlingInSecond).toEqual([]);
  });

  it('an echo 20 or 30 dB down is an echo path: never "no echo path", and the next answer starts with the delay known', () => {
    for (const gain of [0.1, 0.0316]) {
      const r = twoAnswers(gain);
      expect(r.noPathAt, `gain ${gain}`).toBeNull();
      expect(r.settlingInSecond, `gain ${gain}`).toEqual([]);
    }
  });
});
