/** Body: neck, blouse torso, sailor collar, ribbon bow, sleeves, hands, skirt, legs, shoes — with skin weights. */
import { ellipsoid, lerp, mapGrid, paramGrid, smoothstep, tube, type RawMesh, type Vec3 } from './geometry.ts';
import { blend, type Weights } from './rig.ts';

export interface BodyPart {
  material: string;
  mesh: RawMesh;
  weights: (p: Vec3) => Weights;
  /** point the surface faces away from */
  centre: (p: Vec3) => Vec3;
}

// y, half-width, half-depth, z offset
const PROFILE: Array<[number, number, number, number]> = [
  [0.84, 0.125, 0.085, 0],
  [0.95, 0.104, 0.074, 0],
  [1.05, 0.112, 0.082, 0.004],
  [1.13, 0.126, 0.09, 0.008],
  [1.2, 0.138, 0.086, 0.004],
  [1.245, 0.15, 0.075, 0],
  [1.275, 0.13, 0.062, 0],
  [1.292, 0.09, 0.047, 0],
  [1.3, 0.04, 0.036, 0],
];

function profileAt(y: number): [number, number, number] {
  const first = PROFILE[0];
  const last = PROFILE[PROFILE.length - 1];
  if (!first || !last) throw new Error('empty profile');
  if (y <= first[0]) return [first[1], first[2], first[3]];
  for (let i = 1; i < PROFILE.length; i++) {
    const a = PROFILE[i - 1];
    const b = PROFILE[i];
    if (a && b && y <= b[0]) {
      const t = smoothstep(a[0], b[0], y);
      return [lerp(a[1], b[1], t), lerp(a[2], b[2], t), lerp(a[3], b[3], t)];
    }
  }
  return [last[1], last[2], last[3]];
}

function torsoPoint(a: number, y: number, scale = 1): Vec3 {
  const [w, d, z] = profileAt(y);
  // squarer cross-section than an ellipse
  const sx = Math.sign(Math.sin(a)) * Math.pow(Math.abs(Math.sin(a)), 0.8);
  const sz = Math.sign(Math.cos(a)) * Math.pow(Math.abs(Math.cos(a)), 0.8);
  return [w * sx * scale, y, d * sz * scale + z];
}

const TOP = 1.3;

export function spineWeights(y: number): Weights {
  if (y < 0.93) return blend('hips', 'spine', y, 0.86, 0.93);
  if (y < 1.08) return blend('spine', 'chest', y, 1.0, 1.08);
  if (y < 1.27) return blend('chest', 'upperChest', y, 1.12, 1.2);
  return blend('upperChest', 'neck', y, 1.285, 1.31);
}

function armWeights(side: 'left' | 'right', x: number): Weights {
  const ax = Math.abs(x);
  if (ax < 0.2) return blend('upperChest', `${side}UpperArm`, ax, 0.11, 0.18);
  if (ax < 0.5) return blend(`${side}UpperArm`, `${side}LowerArm`, ax, 0.36, 0.42);
  return blend(`${side}LowerArm`, `${side}Hand`, ax, 0.585, 0.62);
}

const axisY = (p: Vec3): Vec3 => [0, p[1], 0];

function arm(side: 1 | -1): BodyPart[] {
  const name = side === 1 ? 'left' : 'right';
  const w = (p: Vec3): Weights => armWeights(name, p[0]);
  const axisX = (p: Vec3): Vec3 => [p[0], 1.255, 0];
  const sleeveR = (t: number): number => 0.036 + 0.009 * Math.sin(Math.PI * Math.min(1, t * 1.6)) - 0.004 * t;
  const sleeve = tube((t) => [side * lerp(0.09, 0.575, t), 1.255, 0], sleeveR, [0, 1, 0], [0, 0, 1], 20, 18);
  const cuff = tube(
    (t) => [side * lerp(0.555, 0.6, t), 1.255, 0],
    () => 0.0355,
    [0, 1, 0],
    [0, 0, 1],
    20,
    2,
  );
  const hand = ellipsoid([side * 0.645, 1.252, 0.004], [0.05, 0.022, 0.036], 16, 10);
  return [
    { material: 'blouse', mesh: sleeve, weights: w, centre: axisX },
    { material: 'collar', mesh: cuff, weights: w, centre: axisX },
    { material: 'skin', mesh: hand, weights: w, centre: () => [side * 0.645, 1.252, 0.004] },
  ];
}

function collar(): RawMesh {
  return mapGrid(paramGrid(120, 10, true), ([u, t]) => {
    const a = u * Math.PI * 2 - Math.PI;
    const abs = Math.abs(a);
    const vOpen = 1 - smoothstep(0.0, 0.62, abs); // 1 at the front centre
    const top = lerp(TOP + 0.002, 1.16, Math.pow(vOpen, 0.9));
    const bottom = lerp(lerp(1.205, 1.115, smoothstep(1.7, 2.5, abs)), top - 0.04, vOpen);
    const y = lerp(top, bottom, t);
    const p = torsoPoint(a, y, 1.045);
    return [p[0], y + 0.004, p[2] + 0.002];
  });
}

function bow(): BodyPart[] {
  const w = (p: Vec3): Weights => spineWeights(p[1]);
  const c: Vec3 = [0, 1.148, 0.098];
  const from = (q: Vec3) => (): Vec3 => q;
  const loopL: Vec3 = [0.028, 1.152, 0.098];
  const loopR: Vec3 = [-0.028, 1.152, 0.098];
  const tailL: Vec3 = [0.013, 1.112, 0.094];
  const tailR: Vec3 = [-0.013, 1.112, 0.094];
  return [
    { material: 'ribbon', mesh: ellipsoid(loopL, [0.028, 0.017, 0.009]), weights: w, centre: from(loopL) },
    { material: 'ribbon', mesh: ellipsoid(loopR, [0.028, 0.017, 0.009]), weights: w, centre: from(loopR) },
    { material: 'ribbon', mesh: ellipsoid(tailL, [0.009, 0.034, 0.005]), weights: w, centre: from(tailL) },
    { material: 'ribbon', mesh: ellipsoid(tailR, [0.009, 0.034, 0.005]), weights: w, centre: from(tailR) },
    {
      material: 'ribbonKnot',
      mesh: ellipsoid([c[0], c[1], c[2] + 0.006], [0.011, 0.012, 0.009]),
      weights: w,
      centre: from(c),
    },
  ];
}

function leg(side: 1 | -1): BodyPart[] {
  const name = side === 1 ? 'left' : 'right';
  const w = (p: Vec3): Weights =>
    p[1] > 0.3
      ? blend(`${name}LowerLeg`, `${name}UpperLeg`, p[1], 0.45, 0.5)
      : blend(`${name}Foot`, `${name}LowerLeg`, p[1], 0.08, 0.14);
  const x = side * 0.075;
  const legMesh = tube(
    (t) => [x, lerp(0.86, 0.07, t), 0],
    (t) => lerp(0.058, 0.034, t),
    [1, 0, 0],
    [0, 0, 1],
    16,
    12,
  );
  const shoe = ellipsoid([x, 0.045, 0.035], [0.045, 0.045, 0.09], 16, 10);
  return [
    { material: 'skin', mesh: legMesh, weights: w, centre: (p) => [x, p[1], 0] },
    { material: 'shoe', mesh: shoe, weights: w, centre: () => [x, 0.045, 0.035] },
  ];
}

export function bodyParts(): BodyPart[] {
  const torso = mapGrid(paramGrid(48, 30, true), ([u, t]) => torsoPoint(u * Math.PI * 2 - Math.PI, lerp(TOP, 0.84, t)));
  const skirt = tube(
    (t) => [0, lerp(0.96, 0.6, t), 0.005],
    (t) => lerp(0.118, 0.215, Math.pow(t, 0.8)),
    [1, 0, 0],
    [0, 0, 1.0],
    40,
    8,
  );
  const neck = tube(
    (t) => [0, lerp(1.25, 1.43, t), -0.005],
    () => 0.026,
    [1, 0, 0],
    [0, 0, 1],
    16,
    8,
  );
  return [
    { material: 'blouse', mesh: torso, weights: (p) => spineWeights(p[1]), centre: axisY },
    { material: 'collar', mesh: collar(), weights: (p) => spineWeights(p[1]), centre: axisY },
    ...bow(),
    {
      material: 'skin',
      mesh: neck,
      weights: (p) =>
        p[1] < 1.33 ? blend('upperChest', 'neck', p[1], 1.27, 1.31) : blend('neck', 'head', p[1], 1.36, 1.4),
      centre: (p) => [0, p[1], -0.005],
    },
    ...arm(1),
    ...arm(-1),
    {
      material: 'skirt',
      mesh: skirt,
      weights: (p) => (p[1] > 0.9 ? spineWeights(p[1]) : [['hips', 1]]),
      centre: axisY,
    },
    ...leg(1),
    ...leg(-1),
  ];
}
