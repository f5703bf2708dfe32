/** Hair: one shell over the head with a per-column hem (pointed bangs, side locks, back volume), an ahoge and a star clip. */
import { lerp, mapGrid, paramGrid, smoothstep, type RawMesh, type Vec3 } from './geometry.ts';
import { HEAD_CENTRE } from './rig.ts';

const RX = 0.1;
const RY = 0.115;
const RZ = 0.098;
const PHI_MAX = Math.PI * 0.6;

/** How far the hair stands off the head, by angle around the head (0 = front). */
const scaleAt = (a: number): number => lerp(1.06, 1.16, smoothstep(0.9, 2.6, Math.abs(a)));

/** Pointed strand tips: 0 between strands, 1 at a tip (a sharp cusp). */
const tips = (a: number, n: number, phase = 0): number => 1 - Math.abs(Math.cos(a * n * 0.5 + phase));

/** Length of each column of hair in "arc" units (radians on the shell, then ~RY per unit when hanging). */
function hemAt(a: number): number {
  const abs = Math.abs(a);
  const front = 1.16 + 0.2 * tips(a, 17, Math.PI / 2) + 0.04 * Math.cos(a * 3);
  const side = PHI_MAX + 0.85 + 0.16 * tips(a, 20);
  const back = PHI_MAX + 1.25 + 0.16 * tips(a, 16);
  const s1 = lerp(front, side, smoothstep(0.62, 0.9, abs));
  return lerp(s1, back, smoothstep(1.45, 2.0, abs));
}

export function hairPoint(a: number, s: number): Vec3 {
  const k = scaleAt(a);
  const rx = RX * k;
  const ry = RY * (k * 0.6 + 0.42);
  const rz = RZ * k;
  const phi = Math.min(s, PHI_MAX);
  let y = ry * Math.cos(phi);
  let h = Math.sin(phi);
  if (s > PHI_MAX) {
    const d = s - PHI_MAX;
    y -= d * RY;
    // sides tuck in slightly under the chin, the back flares a little
    h *= 1 + d * lerp(-0.12, 0.06, smoothstep(0.9, 2.2, Math.abs(a)));
  }
  return [
    HEAD_CENTRE[0] + rx * h * Math.sin(a),
    HEAD_CENTRE[1] + y + 0.004,
    HEAD_CENTRE[2] + rz * h * Math.cos(a) - 0.004,
  ];
}

export function hairShell(): RawMesh {
  return mapGrid(paramGrid(160, 34, true), ([u, v]) => {
    const a = u * Math.PI * 2 - Math.PI; // start at the back so the seam hides there
    return hairPoint(a, v * hemAt(a));
  });
}

/** A single upright curl on the crown. */
export function ahoge(): RawMesh {
  return mapGrid(paramGrid(3, 14), ([u, t]) => {
    const base = hairPoint(0.15, 0.25);
    const w = 0.011 * Math.pow(1 - t, 0.8) * (u - 0.5);
    const ang = t * 2.6;
    return [
      base[0] + w + t * 0.008,
      base[1] + 0.055 * Math.sin(ang) - 0.004,
      base[2] + 0.03 * (1 - Math.cos(ang)) - 0.01 * t,
    ];
  });
}

/** A five-pointed star pinned on the hair over the right temple. */
export function starClip(): RawMesh {
  const a = -0.55;
  const s = 0.78;
  const c = hairPoint(a, s);
  const e = 0.001;
  const du = hairPoint(a + e, s);
  const dv = hairPoint(a, s - e);
  const t1: Vec3 = [du[0] - c[0], du[1] - c[1], du[2] - c[2]];
  const t2: Vec3 = [dv[0] - c[0], dv[1] - c[1], dv[2] - c[2]];
  const norm = (v: Vec3): Vec3 => {
    const l = Math.hypot(...v);
    return [v[0] / l, v[1] / l, v[2] / l];
  };
  const b1 = norm(t1);
  const b2 = norm(t2);
  const n = norm([b1[1] * b2[2] - b1[2] * b2[1], b1[2] * b2[0] - b1[0] * b2[2], b1[0] * b2[1] - b1[1] * b2[0]]);
  const out = Math.sign(n[0] * (c[0] - HEAD_CENTRE[0]) + n[2] * (c[2] - HEAD_CENTRE[2])) || 1;
  const positions: number[] = [];
  const lift = 0.004 * out;
  const at = (x: number, y: number, z: number): void => {
    positions.push(
      c[0] + b1[0] * x + b2[0] * y + n[0] * z,
      c[1] + b1[1] * x + b2[1] * y + n[1] * z,
      c[2] + b1[2] * x + b2[2] * y + n[2] * z,
    );
  };
  at(0, 0, lift + 0.003 * out);
  for (let i = 0; i < 10; i++) {
    const th = (i / 10) * Math.PI * 2 + Math.PI / 2;
    const r = i % 2 === 0 ? 0.017 : 0.0075;
    at(Math.cos(th) * r, Math.sin(th) * r, lift);
  }
  const indices: number[] = [];
  for (let i = 0; i < 10; i++) indices.push(0, 1 + i, 1 + ((i + 1) % 10));
  return { positions, indices };
}
