import { describe, expect, it } from 'vitest';
import { encodeMp3 } from './mp3.ts';

describe('encodeMp3', () => {
  it('produces MPEG audio frames whose size tracks the bit rate', () => {
    const tone = new Int16Array(44_100).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 44_100)));
    const mp3 = encodeMp3(tone, 44_100, 64);
    expect(mp3[0]).toBe(0xff);
    expect((mp3[1]! & 0xe0) === 0xe0).toBe(true);
    // one second at 64 kbit/s is about 8 kB
    expect(mp3.length).toBeGreaterThan(6_000);
    expect(mp3.length).toBeLessThan(10_000);
  });
});
