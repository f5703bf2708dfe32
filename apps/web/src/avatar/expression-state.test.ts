import { describe, expect, it } from 'vitest';
import { activeExpression, createExpressionState, currentWeights, NOD_S, nodPitch, setExpression, setLook, startGesture } from './expression-state.ts';

describe('expression state', () => {
  it('fades an expression in, holds it and fades it out after its duration', () => {
    const s = setExpression(createExpressionState(), 'happy', 0.8, 1000, 10);
    expect(currentWeights(s, 10).happy).toBe(0);
    expect(currentWeights(s, 10.5).happy).toBeCloseTo(0.8);
    expect(currentWeights(s, 11.1).happy).toBeGreaterThan(0);
    expect(currentWeights(s, 11.1).happy).toBeLessThan(0.8);
    expect(currentWeights(s, 11.5).happy ?? 0).toBe(0);
    expect(activeExpression(s, 10.5)).toBe('happy');
    expect(activeExpression(s, 12)).toBeNull();
  });

  it('holds with a null duration and cross-fades to the next one', () => {
    let s = setExpression(createExpressionState(), 'sad', 1, null, 0);
    expect(currentWeights(s, 100).sad).toBe(1);
    s = setExpression(s, 'surprised', 0.5, null, 100);
    const mid = currentWeights(s, 100.1);
    expect(mid.sad).toBeGreaterThan(0);
    expect(mid.surprised).toBeGreaterThan(0);
    expect(currentWeights(s, 101).sad ?? 0).toBe(0);
    expect(currentWeights(s, 101).surprised).toBe(0.5);
  });

  it('neutral clears, weights are clamped, look toggles', () => {
    let s = setExpression(createExpressionState(), 'angry', 7, null, 0);
    expect(currentWeights(s, 1).angry).toBe(1);
    s = setExpression(s, 'neutral', 1, null, 1);
    expect(currentWeights(s, 2).angry ?? 0).toBe(0);
    expect(activeExpression(s, 2)).toBeNull();
    expect(setLook(s, 'away').lookAwayTarget).toBe(1);
    expect(setLook(s, 'user').lookAwayTarget).toBe(0);
  });
});

describe('nod (gesture from the server, e.g. after the user says うん)', () => {
  it('dips the head down and back within NOD_S, then nothing; other gestures are ignored', () => {
    const s = startGesture(createExpressionState(), 'nod', 10);
    expect(nodPitch(s, 9.9)).toBe(0);
    const during = [0.1, 0.15, 0.2].map((t) => nodPitch(s, 10 + t));
    expect(Math.max(...during)).toBeGreaterThan(0.08);
    expect(nodPitch(s, 10 + NOD_S + 0.01)).toBe(0);
    expect(startGesture(createExpressionState(), 'wave', 10).nodStartS).toBeNull();
  });
});
