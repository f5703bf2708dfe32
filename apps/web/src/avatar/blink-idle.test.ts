import { describe, expect, it } from 'vitest';
import { blinkWeight, initialBlinkState, stepBlink, type BlinkState } from './blink.ts';
import { idleMotion } from './idle-motion.ts';

/** Deterministic pseudo-random source. */
function seq(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0.5;
}

describe('blink scheduler', () => {
  it('waits 2-6 s between blinks and each blink takes ~150 ms', () => {
    const random = seq([0, 1, 0.5, 0.25]);
    let s: BlinkState = initialBlinkState(random);
    expect(s.untilNext).toBe(2);
    const dt = 1 / 100;
    const starts: number[] = [];
    let closedFor = 0;
    let peak = 0;
    let wasBlinking = false;
    for (let k = 0; k < 2000; k++) {
      s = stepBlink(s, dt, random);
      const w = blinkWeight(s);
      peak = Math.max(peak, w);
      if (s.blinkT !== null && !wasBlinking) starts.push(k * dt);
      if (s.blinkT !== null && starts.length === 1) closedFor += dt;
      wasBlinking = s.blinkT !== null;
    }
    expect(starts[0]).toBeCloseTo(2, 1);
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
    for (const g of gaps) {
      expect(g).toBeGreaterThanOrEqual(2);
      expect(g).toBeLessThanOrEqual(6.2);
    }
    expect(gaps[0]).toBeCloseTo(6.15, 1);
    expect(closedFor).toBeGreaterThan(0.12);
    expect(closedFor).toBeLessThan(0.17);
    expect(peak).toBeGreaterThan(0.95);
  });

  it('eyes are open outside a blink and NaN dt is ignored', () => {
    const s = initialBlinkState(() => 0.5);
    expect(blinkWeight(s)).toBe(0);
    expect(stepBlink(s, NaN, () => 0.5)).toEqual(s);
  });
});

describe('idle motion', () => {
  it('is small, smooth and deterministic', () => {
    const a = idleMotion(1.234);
    expect(idleMotion(1.234)).toEqual(a);
    for (let t = 0; t < 30; t += 0.37) {
      const p = idleMotion(t);
      for (const e of [p.spine, p.chest, p.neck, p.head])
        for (const v of [e.x, e.y, e.z]) expect(Math.abs(v)).toBeLessThan(0.15);
      const q = idleMotion(t + 1 / 60);
      expect(Math.abs(q.head.y - p.head.y)).toBeLessThan(0.01);
    }
    expect(a.leftUpperArm.z).toBeLessThan(-1);
    expect(a.rightUpperArm.z).toBeGreaterThan(1);
  });

  it('turns the head away when asked', () => {
    expect(idleMotion(3, { lookAway: 1 }).head.y - idleMotion(3).head.y).toBeGreaterThan(0.3);
    expect(Number.isFinite(idleMotion(NaN).head.x)).toBe(true);
  });
});
