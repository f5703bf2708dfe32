import { describe, expect, it } from 'vitest';
import { audibleAtMs, type ContextTiming } from './playout-clock.ts';

const timing = (t: Partial<ContextTiming>): ContextTiming => ({ currentTime: 10, baseLatency: 0.01, outputLatency: 0.02, timestamp: null, ...t });

describe('audibleAtMs: context time -> when it leaves the speakers', () => {
  it('maps through the output timestamp, which already holds the output latency (no double count)', () => {
    // the device plays context time 9.95 s at performance time 5000 ms
    const t = timing({ timestamp: { contextTime: 9.95, performanceTime: 5000 } });
    // a chunk the worklet starts at 10.0 s is heard 50 ms after that, in the future of now = 5010
    expect(audibleAtMs(10.0, t, 5010)).toBeCloseTo(5050, 6);
  });

  it('falls back to now + what is rendered ahead + base and output latency without a usable timestamp', () => {
    expect(audibleAtMs(10.005, timing({}), 5000)).toBeCloseTo(5000 + 5 + 30, 6);
    expect(audibleAtMs(10.005, timing({ timestamp: { contextTime: 0, performanceTime: 0 } }), 5000)).toBeCloseTo(5035, 6); // output not running yet
    expect(audibleAtMs(10.005, timing({ timestamp: { contextTime: 9.9, performanceTime: 100 } }), 5000)).toBeCloseTo(5035, 6); // stale: 4.8 s off
    expect(audibleAtMs(10, timing({ baseLatency: Number.NaN, outputLatency: 0 }), 5000)).toBe(5000);
  });
});
