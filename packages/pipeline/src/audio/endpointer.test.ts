import { describe, expect, it } from 'vitest';
import { createEndpointer, type EndpointEvent } from './endpointer.ts';

/** Run a probability sequence; returns events tagged with the frame index that produced them. */
function run(probs: number[], opts = {}): Array<EndpointEvent & { frame: number }> {
  const ep = createEndpointer(opts);
  const out: Array<EndpointEvent & { frame: number }> = [];
  probs.forEach((p, frame) => out.push(...ep.push(p).map((e) => ({ ...e, frame }))));
  out.push(...ep.finish().map((e) => ({ ...e, frame: probs.length })));
  return out;
}
const rep = (p: number, n: number): number[] => Array<number>(n).fill(p);

describe('endpointer (32 ms frames, min speech 150 ms, redemption 500 ms)', () => {
  it('announces speech after minSpeechMs with the time it began, ends after redemption with the silence start', () => {
    const ev = run([...rep(0.1, 10), ...rep(0.9, 20), ...rep(0.05, 30)]);
    expect(ev).toEqual([
      { type: 'speech_start', atMs: 320, captureFromMs: 20, frame: 14 },
      { type: 'speech_end', atMs: 960, speechMs: 640, frame: 45 },
    ]);
  });

  it('confirmStartAfter: a sound already judged the user\'s is confirmed after two frames, then the usual minimum again', () => {
    const ep = createEndpointer();
    const startFrame = (probs: number[]): number => probs.findIndex((p) => ep.push(p).some((e) => e.type === 'speech_start'));
    ep.confirmStartAfter(64);
    expect(startFrame(rep(0.9, 10))).toBe(1); // frames 0 and 1 = 64 ms
    ep.push(0); // (still speaking: silence shorter than the redemption)
    for (const p of rep(0, 20)) ep.push(p); // ended
    ep.confirmStartAfter(null);
    expect(startFrame(rep(0.9, 10))).toBe(4); // 5 frames = 160 ms >= 150
  });

  it('a short blip is a misfire, never a turn', () => {
    const ev = run([...rep(0, 5), ...rep(0.95, 3), ...rep(0, 30)]);
    expect(ev).toEqual([{ type: 'misfire', atMs: 256, speechMs: 96, frame: 23 }]);
  });

  it('pauses shorter than the redemption time do not end the turn', () => {
    const ev = run([...rep(0.9, 10), ...rep(0.1, 15), ...rep(0.9, 10), ...rep(0.1, 20)]);
    expect(ev.map((e) => e.type)).toEqual(['speech_start', 'speech_end']);
    expect(ev[1]).toMatchObject({ atMs: 35 * 32, speechMs: 35 * 32 });
  });

  it('hysteresis: probabilities between the thresholds keep speech alive but do not start it', () => {
    expect(run(rep(0.45, 100))).toEqual([]);
    const ev = run([...rep(0.9, 10), ...rep(0.4, 40), ...rep(0.0, 16)]);
    expect(ev.map((e) => e.type)).toEqual(['speech_start', 'speech_end']);
    expect(ev[1]).toMatchObject({ atMs: 50 * 32 });
  });

  it('positive frames must add up to minSpeechMs (gaps in a tentative turn do not count)', () => {
    const ev = run([0.9, 0.9, 0.4, 0.4, 0.4, 0.4, 0.9, 0.9, 0.9, ...rep(0, 20)], { minSpeechMs: 150 });
    expect(ev[0]).toMatchObject({ type: 'speech_start', atMs: 0, frame: 8 }) // 5th positive frame: 5 * 32 >= 150;
  });

  it('finish() closes an open turn at the silence start, or at the end of audio', () => {
    expect(run([...rep(0.9, 10), ...rep(0, 3)]).at(-1)).toEqual({ type: 'speech_end', atMs: 320, speechMs: 320, frame: 13 });
    expect(run(rep(0.9, 10)).at(-1)).toMatchObject({ type: 'speech_end', atMs: 320 });
  });

  it('custom options and two turns in a row; preRoll clamps at 0', () => {
    const ev = run([...rep(0.8, 4), ...rep(0, 5), ...rep(0.8, 4), ...rep(0, 5)], {
      frameMs: 20,
      minSpeechMs: 60,
      redemptionMs: 100,
      preRollMs: 500,
    });
    expect(ev).toEqual([
      { type: 'speech_start', atMs: 0, captureFromMs: 0, frame: 2 },
      { type: 'speech_end', atMs: 80, speechMs: 80, frame: 8 },
      { type: 'speech_start', atMs: 180, captureFromMs: 0, frame: 11 },
      { type: 'speech_end', atMs: 260, speechMs: 80, frame: 17 },
    ]);
  });

  it('reset() forgets an open turn and rewinds audio time', () => {
    const ep = createEndpointer();
    for (let i = 0; i < 10; i++) ep.push(0.9);
    expect(ep.state).toBe('speaking');
    ep.reset();
    expect(ep.state).toBe('idle');
    expect(ep.positionMs).toBe(0);
    expect(ep.finish()).toEqual([]);
  });
});
