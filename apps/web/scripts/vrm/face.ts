/**
 * The head and its painted-on ("decal") face: eyes, lashes, brows, blush, nose, mouth, teeth, tongue.
 * Decals are 2D shapes lifted onto the head surface; every expression is a different 2D mapping of the
 * same parameter grid, so morph targets are exact per-vertex deltas.
 */
import {
  bandGrid,
  discGrid,
  mapGrid,
  paramGrid,
  smoothstep,
  type ParamGrid,
  type RawMesh,
  type Vec2,
  type Vec3,
} from './geometry.ts';
import { HEAD_CENTRE } from './rig.ts';

export const FACE_TARGETS = [
  'aa',
  'ih',
  'ou',
  'ee',
  'oh',
  'blink',
  'blinkLeft',
  'blinkRight',
  'happy',
  'angry',
  'sad',
  'relaxed',
  'surprised',
  'lookLeft',
  'lookRight',
  'lookUp',
  'lookDown',
] as const;
export type FaceTarget = (typeof FACE_TARGETS)[number];

export interface FacePart {
  material: string;
  mesh: RawMesh;
  /** absolute target positions, same vertex order as mesh */
  targets: Partial<Record<FaceTarget, number[]>>;
}

const RX = 0.1;
const RY = 0.115;
const RZ = 0.098;
const jawX = (y: number): number => (y >= 0 ? 1 : 1 - 0.38 * Math.pow(Math.min(1, -y / RY), 1.7));
const jawZ = (y: number): number => (y >= 0 ? 1 : 1 - 0.12 * Math.pow(Math.min(1, -y / RY), 2));

/** Head surface height in front of (x, y) in head-local coordinates. */
export function headFrontZ(x: number, y: number): number {
  const ex = x / (RX * jawX(y));
  const ey = y / RY;
  return RZ * jawZ(y) * Math.sqrt(Math.max(0, 1 - ex * ex - ey * ey));
}

export function headMesh(): RawMesh {
  return mapGrid(paramGrid(48, 32, true), ([u, v]) => {
    const a = u * Math.PI * 2;
    const p = v * Math.PI;
    const y = RY * Math.cos(p);
    return [
      HEAD_CENTRE[0] + RX * jawX(y) * Math.sin(p) * Math.sin(a),
      HEAD_CENTRE[1] + y,
      HEAD_CENTRE[2] + RZ * jawZ(y) * Math.sin(p) * Math.cos(a),
    ];
  });
}

const LAYER = 0.00045;
type Map2 = (p: Vec2) => Vec2;

function lift([x, y]: Vec2, layer: number): Vec3 {
  return [HEAD_CENTRE[0] + x, HEAD_CENTRE[1] + y, HEAD_CENTRE[2] + headFrontZ(x, y) + 0.0005 + layer * LAYER];
}

function decal(
  material: string,
  grid: ParamGrid,
  layer: number,
  rest: Map2,
  target: (t: FaceTarget) => Map2 | null,
): FacePart {
  const mesh = mapGrid(grid, (p) => lift(rest(p), layer));
  const targets: FacePart['targets'] = {};
  for (const t of FACE_TARGETS) {
    const f = target(t);
    if (f) targets[t] = mapGrid(grid, (p) => lift(f(p), layer)).positions;
  }
  return { material, mesh, targets };
}

// ---- eyes ---------------------------------------------------------------------------------------
const EX = 0.037;
const EY = -0.012;
const EW = 0.0198;
const EH = 0.0245;
type EyeKind = 'white' | 'iris' | 'lash';
interface EyeState {
  open: number;
  lid: number;
  curve: number;
  gx: number;
  gy: number;
  irisScale: number;
}
const OPEN: EyeState = { open: 1, lid: 0, curve: 0, gx: 0, gy: 0, irisScale: 1 };

function eyeState(t: FaceTarget | null, side: 1 | -1): EyeState {
  switch (t) {
    case 'blink':
      return { ...OPEN, open: 0, lid: -0.3 * EH, curve: -0.0035 };
    case 'blinkLeft':
      return side === 1 ? eyeState('blink', side) : OPEN;
    case 'blinkRight':
      return side === -1 ? eyeState('blink', side) : OPEN;
    case 'happy':
      return { ...OPEN, open: 0, lid: -0.05 * EH, curve: 0.0065 };
    case 'relaxed':
      return { ...OPEN, open: 0.45, lid: -0.35 * EH, curve: -0.001 };
    case 'sad':
      return { ...OPEN, open: 0.8, lid: -0.4 * EH };
    case 'angry':
      return { ...OPEN, open: 0.72, lid: -0.45 * EH, curve: 0.002 };
    case 'surprised':
      return { ...OPEN, open: 1.1, irisScale: 0.8 };
    case 'lookLeft':
      return { ...OPEN, gx: 0.0065 };
    case 'lookRight':
      return { ...OPEN, gx: -0.0065 };
    case 'lookUp':
      return { ...OPEN, gy: 0.005 };
    case 'lookDown':
      return { ...OPEN, gy: -0.006 };
    default:
      return OPEN;
  }
}

const topEdge = (x: number): number => EH * 0.9 * Math.sqrt(Math.max(0, 1 - (x / EW) ** 2));

/** Eye-local (x outward, y up, relative to eye centre) -> head-local, for one eye state. */
function eyeTransform(kind: EyeKind, side: 1 | -1, s: EyeState, [x, y]: Vec2): Vec2 {
  let px = x;
  let py = y;
  if (kind === 'iris') {
    px = px * s.irisScale + s.gx * side;
    py = (py + 0.002) * s.irisScale - 0.002 + s.gy;
  }
  if (s.open !== 1) {
    const xc = Math.max(-EW, Math.min(EW, x));
    const closed = s.lid + s.curve * (1 - (xc / EW) ** 2);
    if (kind === 'lash') py = py + (1 - s.open) * (closed - topEdge(xc));
    else if (s.open > 1) py = py * s.open;
    else py = closed + (py - closed) * Math.max(0.02, s.open);
  }
  return [side * (EX + px), EY + py];
}

function eyePart(material: string, kind: EyeKind, layer: number, grid: ParamGrid, shape: Map2): FacePart[] {
  return ([1, -1] as const).map((side) =>
    decal(
      material,
      grid,
      layer,
      (p) => eyeTransform(kind, side, OPEN, shape(p)),
      (t) => {
        const s = eyeState(t, side);
        return s === OPEN ? null : (p) => eyeTransform(kind, side, s, shape(p));
      },
    ),
  );
}

const ellipse =
  (cx: number, cy: number, w: number, h: number): Map2 =>
  ([u, v]) => [cx + u * w, cy + v * h];

function eyes(): FacePart[] {
  const disc = discGrid(5, 28);
  const lashShape: Map2 = ([s, t]) => {
    const x = s * EW * 1.08 + (s > 0 ? s * s * 0.0025 : 0);
    const thick = 0.0028 + 0.0026 * smoothstep(0.1, 1, s);
    const lift = s > 0.75 ? (s - 0.75) * 0.012 : 0;
    return [x, topEdge(Math.min(EW, Math.abs(x))) - 0.0012 + t * thick + lift];
  };
  return [
    ...eyePart('eyeWhite', 'white', 1, disc, ([u, v]) => [u * EW, v * (v > 0 ? EH * 0.9 : EH)]),
    ...eyePart('irisOuter', 'iris', 2, disc, ellipse(0.0005, -0.002, 0.0132, 0.0185)),
    ...eyePart('irisInner', 'iris', 3, disc, ellipse(0.0005, -0.0065, 0.0098, 0.0115)),
    ...eyePart('pupil', 'iris', 4, disc, ellipse(0.0005, -0.0015, 0.0052, 0.0078)),
    ...eyePart('highlight', 'iris', 5, discGrid(2, 16), ellipse(-0.0045, 0.0055, 0.0042, 0.0048)),
    ...eyePart('highlight', 'iris', 5, discGrid(2, 12), ellipse(0.005, -0.0125, 0.0022, 0.0022)),
    ...eyePart('lash', 'lash', 6, bandGrid(24, 2), lashShape),
  ];
}

// ---- brows, blush, nose ------------------------------------------------------------------------
function brows(): FacePart[] {
  const shape =
    (side: 1 | -1, t: FaceTarget | null): Map2 =>
    ([s, w]) => {
      const inner = (1 - s) / 2; // 1 at the inner end
      let dy = 0;
      if (t === 'angry') dy = -0.007 * inner + 0.002 * (1 - inner);
      if (t === 'sad') dy = 0.006 * inner - 0.002 * (1 - inner);
      if (t === 'surprised') dy = 0.007;
      if (t === 'happy' || t === 'relaxed') dy = 0.002;
      const x = 0.039 + s * 0.016;
      const y = 0.034 + 0.0045 * (1 - s * s) + dy + (w - 0.5) * 0.0032 * (1 - 0.5 * s * s);
      return [side * x, y];
    };
  return ([1, -1] as const).map((side) =>
    decal('brow', bandGrid(16, 1), 1, shape(side, null), (t) =>
      ['angry', 'sad', 'surprised', 'happy', 'relaxed'].includes(t) ? shape(side, t) : null,
    ),
  );
}

function cheeks(): FacePart[] {
  return [
    ...([1, -1] as const).map((side) =>
      decal('blush', discGrid(3, 20), 0, ellipse(side * 0.056, -0.043, 0.012, 0.0055), () => null),
    ),
    decal('nose', discGrid(2, 12), 0, ellipse(0, -0.036, 0.0022, 0.0014), () => null),
  ];
}

// ---- mouth --------------------------------------------------------------------------------------
interface MouthShape {
  w: number;
  hu: number;
  hl: number;
  c: number;
}
const MOUTH_REST: MouthShape = { w: 0.013, hu: 0.0011, hl: 0.0013, c: 0.0028 };
const MOUTH: Partial<Record<FaceTarget, MouthShape>> = {
  aa: { w: 0.016, hu: 0.0055, hl: 0.019, c: 0.001 },
  ih: { w: 0.02, hu: 0.003, hl: 0.0065, c: 0.003 },
  ou: { w: 0.0075, hu: 0.0055, hl: 0.0075, c: 0 },
  ee: { w: 0.019, hu: 0.0035, hl: 0.0095, c: 0.002 },
  oh: { w: 0.0115, hu: 0.0075, hl: 0.0135, c: 0 },
  happy: { w: 0.017, hu: 0.001, hl: 0.0095, c: 0.0055 },
  sad: { w: 0.012, hu: 0.0011, hl: 0.0012, c: -0.0035 },
  angry: { w: 0.011, hu: 0.0013, hl: 0.0018, c: -0.0028 },
  surprised: { w: 0.0085, hu: 0.0065, hl: 0.0095, c: 0 },
  relaxed: { w: 0.0145, hu: 0.001, hl: 0.0014, c: 0.0038 },
};
const MY = -0.062;
const mouthAt = (m: MouthShape, [u, v]: Vec2): Vec2 => [u * m.w, MY + (v >= 0 ? v * m.hu : v * m.hl) + m.c * u * u];

function mouthPart(material: string, grid: ParamGrid, layer: number, toMouth: Map2): FacePart {
  return decal(
    material,
    grid,
    layer,
    (p) => mouthAt(MOUTH_REST, toMouth(p)),
    (t) => {
      const m = MOUTH[t];
      return m ? (p) => mouthAt(m, toMouth(p)) : null;
    },
  );
}

function mouth(): FacePart[] {
  const chord =
    (v0: number, v1: number, k: number): Map2 =>
    ([s, t]) => {
      const v = v0 + (v1 - v0) * t * 0.985;
      return [s * Math.sqrt(Math.max(0, 1 - v * v)) * k, v];
    };
  return [
    mouthPart('mouth', discGrid(5, 32), 1, (p) => p),
    mouthPart('teeth', bandGrid(16, 4), 2, chord(0.5, 1, 0.96)),
    mouthPart('tongue', bandGrid(16, 4), 2, chord(-0.45, -1, 0.8)),
  ];
}

export function faceParts(): FacePart[] {
  return [{ material: 'skin', mesh: headMesh(), targets: {} }, ...eyes(), ...brows(), ...cheeks(), ...mouth()];
}
