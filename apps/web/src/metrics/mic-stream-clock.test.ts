import { describe, expect, it } from 'vitest';
import { MicStreamClock, OPUS_LOOKAHEAD_MS, plausibleSpeechEnd } from './mic-stream-clock.ts';
import { loadStreamPosition, saveStreamPosition } from './mic-stream-store.ts';

/** Packets seq from..to-1, 20 ms apart, the first one's last sample captured at `firstEnd`. */
function feed(clock: MicStreamClock, from: number, to: number, firstEnd: number): void {
  for (let s = from; s < to; s++) clock.note(s, firstEnd + (s - from) * 20);
}

// the codec delay is tested on its own; elsewhere positions are plain packet arithmetic
const plain = (opts: ConstructorParameters<typeof MicStreamClock>[0] = {}) => new MicStreamClock({ codecDelayMs: 0, ...opts });

describe('MicStreamClock: server stream time -> capture time', () => {
  it('maps a position inside a packet to the capture of that sample', () => {
    const c = plain();
    feed(c, 0, 100, 1020); // packet 0 covers capture 1000-1020
    expect(c.positionMs).toBe(2000);
    expect(c.captureTimeAt(0)).toBe(1000);
    expect(c.captureTimeAt(30)).toBe(1030);
    expect(c.captureTimeAt(1500)).toBe(2500);
    expect(c.captureTimeAt(2000)).toBe(3000); // the very end (mic switched off)
    expect(c.captureTimeAt(2001)).toBeNull(); // beyond what the page sent
    expect(c.captureTimeAt(-5)).toBeNull();
  });

  it('takes off the Opus lookahead: the server hears each sample 6.5 ms into the stream later', () => {
    const c = new MicStreamClock();
    feed(c, 0, 10, 20);
    expect(c.captureTimeAt(100)).toBeCloseTo(100 - OPUS_LOOKAHEAD_MS, 6);
  });

  it('keeps stream time contiguous while the capture clock jumps (mic off and on, or a reconnect)', () => {
    const c = plain();
    feed(c, 0, 50, 20); // 1 s of audio, captured 0-1000
    // the mic was off for 9 s (or the socket down: the page numbers no packet until it is ready)
    feed(c, 50, 100, 10_020); // stream 1000-2000 = capture 10000-11000
    expect(c.captureTimeAt(990)).toBe(990);
    expect(c.captureTimeAt(1000)).toBe(10_000);
    expect(c.captureTimeAt(1500)).toBe(10_500);
  });

  it('counts a short sequence gap as the silence the server fills, a long one as nothing', () => {
    const c = plain();
    feed(c, 0, 10, 20); // stream 0-200
    c.note(13, 280); // 10, 11, 12 numbered but not sent: filled, stream 200-260, then 13 at 260-280
    expect(c.positionMs).toBe(280);
    expect(c.captureTimeAt(270)).toBe(270);
    expect(c.captureTimeAt(210)).toBe(210);
    // 60 missing (1.2 s): more than the server's 1 s allowance, so it skips them
    c.note(74, 5000);
    expect(c.positionMs).toBe(300);
    expect(c.captureTimeAt(290)).toBe(4990);
  });

  it('drops a repeated or older sequence number as the server does', () => {
    const c = plain();
    feed(c, 0, 5, 20);
    c.note(3, 999);
    c.note(4, 999);
    expect(c.positionMs).toBe(100);
    expect(c.captureTimeAt(90)).toBe(90);
  });

  it('goes on across a sequence restart (a new transport Worker numbers from 0, the session continues)', () => {
    const c = plain();
    feed(c, 0, 100, 20); // stream 0-2000
    c.newStream();
    feed(c, 0, 50, 60_020); // stream 2000-3000, captured a minute later
    expect(c.positionMs).toBe(3000);
    expect(c.captureTimeAt(1999)).toBe(1999);
    expect(c.captureTimeAt(2500)).toBe(60_500);
    // without newStream the restarted numbers would have been dropped as old ones
    const d = plain();
    feed(d, 0, 100, 20);
    feed(d, 0, 50, 60_020);
    expect(d.positionMs).toBe(2000);
  });

  it('starts from the stream time a reloaded page left, forgets the oldest packets, and resets for a new session', () => {
    const c = plain({ basePositionMs: 40_000, capacity: 100 });
    feed(c, 0, 10, 20);
    expect(c.captureTimeAt(40_050)).toBe(50);
    expect(c.captureTimeAt(100)).toBeNull(); // the earlier page's audio is not known here
    feed(c, 10, 200, 220);
    expect(c.captureTimeAt(40_000)).toBeNull(); // forgotten
    expect(c.captureTimeAt(43_990)).toBe(3990);
    c.reset();
    expect(c.captureTimeAt(43_990)).toBeNull();
    feed(c, 200, 210, 10_020);
    expect(c.captureTimeAt(0)).toBe(10_000);
  });

  it('believes a mapped speech end only between 0 and 5 s before its event arrived', () => {
    expect(plausibleSpeechEnd(1000, 1600)).toBe(1000);
    expect(plausibleSpeechEnd(1700, 1600)).toBeNull();
    expect(plausibleSpeechEnd(1000, 9000)).toBeNull();
    expect(plausibleSpeechEnd(null, 9000)).toBeNull();
  });
});

describe('mic stream time across a reload', () => {
  it('is kept per session in storage', () => {
    const map = new Map<string, string>();
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
    expect(loadStreamPosition(storage, 's-1')).toBe(0);
    saveStreamPosition(storage, 's-1', 12_340);
    expect(loadStreamPosition(storage, 's-1')).toBe(12_340);
    expect(loadStreamPosition(storage, 's-2')).toBe(0);
    map.set('va.micStreamMs', '{not json');
    expect(loadStreamPosition(storage, 's-1')).toBe(0);
    map.set('va.micStreamMs', JSON.stringify({ session: 's-1', ms: -4 }));
    expect(loadStreamPosition(storage, 's-1')).toBe(0);
    expect(loadStreamPosition(null, 's-1')).toBe(0);
  });
});
