/**
 * Pure idle motion: breathing, gentle sway and small head movements as a function of time.
 * Angles are radians for the VRM normalized humanoid bones (model faces +Z, T-pose rest).
 */

export interface Euler {
  x: number;
  y: number;
  z: number;
}

export interface IdlePose {
  spine: Euler;
  chest: Euler;
  neck: Euler;
  head: Euler;
  leftUpperArm: Euler;
  rightUpperArm: Euler;
  leftLowerArm: Euler;
  rightLowerArm: Euler;
  /** 0..1 breathing phase amount, e.g. for a subtle chest scale */
  breath: number;
}

export interface IdleOptions {
  /** 0 = looking at the user, 1 = looking away (to the side and slightly down) */
  lookAway?: number;
  /** 0..1, extra head motion while speaking */
  speaking?: number;
}

const TAU = Math.PI * 2;
const wave = (t: number, hz: number, phase = 0): number => Math.sin(TAU * hz * t + phase);

export function idleMotion(timeS: number, opts: IdleOptions = {}): IdlePose {
  const t = Number.isFinite(timeS) ? timeS : 0;
  const away = Math.min(1, Math.max(0, opts.lookAway ?? 0));
  const talk = Math.min(1, Math.max(0, opts.speaking ?? 0));
  const breath = 0.5 + 0.5 * wave(t, 0.22);
  const sway = wave(t, 0.11) * 0.6 + wave(t, 0.071, 1.3) * 0.4;
  const nod = wave(t, 0.17, 0.7) * 0.6 + wave(t, 0.43, 2.1) * 0.4;
  const turn = wave(t, 0.09, 0.4) * 0.7 + wave(t, 0.23, 1.9) * 0.3;
  const armDown = 1.22;
  return {
    spine: { x: 0.012 * (breath - 0.5), y: 0.015 * sway, z: 0.012 * sway },
    chest: { x: -0.02 * (breath - 0.5), y: 0.01 * sway, z: 0 },
    neck: { x: 0.01 * nod, y: 0.02 * turn, z: 0 },
    head: {
      x: 0.03 * nod + 0.05 * talk * wave(t, 1.7) + 0.12 * away,
      y: 0.05 * turn + 0.45 * away,
      z: 0.025 * sway - 0.05 * away,
    },
    leftUpperArm: { x: 0, y: 0, z: -armDown + 0.02 * (breath - 0.5) },
    rightUpperArm: { x: 0, y: 0, z: armDown - 0.02 * (breath - 0.5) },
    leftLowerArm: { x: 0, y: 0, z: 0 },
    rightLowerArm: { x: 0, y: 0, z: 0 },
    breath,
  };
}
