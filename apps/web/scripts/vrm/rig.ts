/** The humanoid skeleton of the default avatar (T-pose, identity rotations, model faces +Z, metres). */
import type { Vec3 } from './geometry.ts';

export interface Bone {
  name: string;
  parent: string | null;
  /** global rest position */
  pos: Vec3;
}

const mirror = (bones: Bone[]): Bone[] =>
  bones.map((b) => ({
    name: b.name.replace(/^left/, 'right'),
    parent: b.parent?.replace(/^left/, 'right') ?? null,
    pos: [-b.pos[0], b.pos[1], b.pos[2]],
  }));

const leftArm: Bone[] = [
  { name: 'leftShoulder', parent: 'upperChest', pos: [0.03, 1.26, 0] },
  { name: 'leftUpperArm', parent: 'leftShoulder', pos: [0.14, 1.255, 0] },
  { name: 'leftLowerArm', parent: 'leftUpperArm', pos: [0.39, 1.255, 0] },
  { name: 'leftHand', parent: 'leftLowerArm', pos: [0.61, 1.255, 0] },
];
const leftLeg: Bone[] = [
  { name: 'leftUpperLeg', parent: 'hips', pos: [0.075, 0.84, 0] },
  { name: 'leftLowerLeg', parent: 'leftUpperLeg', pos: [0.075, 0.47, 0] },
  { name: 'leftFoot', parent: 'leftLowerLeg', pos: [0.075, 0.08, 0] },
];

export const BONES: Bone[] = [
  { name: 'hips', parent: null, pos: [0, 0.88, 0] },
  { name: 'spine', parent: 'hips', pos: [0, 0.98, 0] },
  { name: 'chest', parent: 'spine', pos: [0, 1.09, 0] },
  { name: 'upperChest', parent: 'chest', pos: [0, 1.19, 0] },
  { name: 'neck', parent: 'upperChest', pos: [0, 1.29, 0] },
  { name: 'head', parent: 'neck', pos: [0, 1.37, 0] },
  ...leftArm,
  ...mirror(leftArm),
  ...leftLeg,
  ...mirror(leftLeg),
];

export const BONE_INDEX = new Map(BONES.map((b, i) => [b.name, i]));

export function boneIndex(name: string): number {
  const i = BONE_INDEX.get(name);
  if (i === undefined) throw new Error(`unknown bone ${name}`);
  return i;
}

export function bonePos(name: string): Vec3 {
  const b = BONES[boneIndex(name)];
  if (!b) throw new Error(`unknown bone ${name}`);
  return b.pos;
}

export type Weights = Array<[string, number]>;

/** Linear blend between two bones as `x` goes from x0 to x1. */
export function blend(a: string, b: string, x: number, x0: number, x1: number): Weights {
  const t = Math.min(1, Math.max(0, (x - x0) / (x1 - x0)));
  const s = t * t * (3 - 2 * t);
  if (s <= 0) return [[a, 1]];
  if (s >= 1) return [[b, 1]];
  return [
    [a, 1 - s],
    [b, s],
  ];
}

/** Head centre (the face and hair are built around it). */
export const HEAD_CENTRE: Vec3 = [0, 1.45, 0];
