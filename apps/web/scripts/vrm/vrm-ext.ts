/** Materials (MToon) and the VRMC_vrm 1.0 extension JSON for the default avatar. */
import type { Json } from './glb-writer.ts';
import { FACE_TARGETS, type FaceTarget } from './face.ts';

const srgbToLinear = (c: number): number => (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
function hex(h: string): [number, number, number] {
  const n = parseInt(h.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => Math.round(srgbToLinear(v / 255) * 1e4) / 1e4) as [
    number,
    number,
    number,
  ];
}

interface MaterialSpec {
  base: string;
  shade?: string;
  outline?: number;
  doubleSided?: boolean;
}

const OUTLINE = '#3a2f4d';
export const MATERIALS: Record<string, MaterialSpec> = {
  skin: { base: '#ffe9dd', shade: '#f3b8a8', outline: 0.0012 },
  eyeWhite: { base: '#fffdfb' },
  irisOuter: { base: '#9c4f1c' },
  irisInner: { base: '#f4b03c' },
  pupil: { base: '#3b1d12' },
  highlight: { base: '#ffffff' },
  lash: { base: '#35263f' },
  brow: { base: '#4f58a6' },
  blush: { base: '#ffc2c0' },
  nose: { base: '#f2bfae' },
  mouth: { base: '#8e2c3c' },
  teeth: { base: '#ffffff' },
  tongue: { base: '#ee7f8a' },
  hair: { base: '#7d8cf2', shade: '#4a4fb3', outline: 0.0014, doubleSided: true },
  clip: { base: '#ffd75e', shade: '#f0a830', doubleSided: true },
  blouse: { base: '#fcfaf4', shade: '#c8c8df', outline: 0.0012 },
  collar: { base: '#2f3f7c', shade: '#1c2452', outline: 0.001 },
  ribbon: { base: '#ff6b7d', shade: '#d23d5a', outline: 0.001 },
  ribbonKnot: { base: '#ff8593', shade: '#d23d5a', outline: 0.001 },
  skirt: { base: '#2f3f7c', shade: '#1c2452', outline: 0.0012 },
  shoe: { base: '#6b4636', shade: '#42261c', outline: 0.001 },
};

export function materialJson(name: string): Json {
  const spec = MATERIALS[name];
  if (!spec) throw new Error(`unknown material ${name}`);
  const base = hex(spec.base);
  const shade = hex(spec.shade ?? spec.base);
  const mtoon: Json = {
    specVersion: '1.0',
    transparentWithZWrite: false,
    renderQueueOffsetNumber: 0,
    shadeColorFactor: shade,
    shadingShiftFactor: -0.05,
    shadingToonyFactor: 0.92,
    giEqualizationFactor: 0.9,
    matcapFactor: [0, 0, 0],
    parametricRimColorFactor: spec.shade ? [0.08, 0.07, 0.1] : [0, 0, 0],
    parametricRimFresnelPowerFactor: 4,
    parametricRimLiftFactor: 0,
    rimLightingMixFactor: 1,
    outlineWidthMode: spec.outline ? 'worldCoordinates' : 'none',
    outlineWidthFactor: spec.outline ?? 0,
    outlineColorFactor: hex(OUTLINE),
    outlineLightingMixFactor: 1,
  };
  return {
    name,
    pbrMetallicRoughness: { baseColorFactor: [...base, 1], metallicFactor: 0, roughnessFactor: 1 },
    doubleSided: spec.doubleSided ?? false,
    extensions: { VRMC_materials_mtoon: mtoon },
  };
}

const REQUIRED_BONES = [
  'hips',
  'spine',
  'chest',
  'upperChest',
  'neck',
  'head',
  'leftShoulder',
  'leftUpperArm',
  'leftLowerArm',
  'leftHand',
  'rightShoulder',
  'rightUpperArm',
  'rightLowerArm',
  'rightHand',
  'leftUpperLeg',
  'leftLowerLeg',
  'leftFoot',
  'rightUpperLeg',
  'rightLowerLeg',
  'rightFoot',
];

const OVERRIDES: Partial<Record<FaceTarget, Json>> = {
  happy: { overrideBlink: 'block' },
  relaxed: { overrideBlink: 'blend' },
  sad: { overrideBlink: 'blend' },
  angry: { overrideBlink: 'blend' },
  surprised: { overrideBlink: 'block', overrideMouth: 'blend' },
};

export function vrmExtension(boneNodes: Map<string, number>, faceNode: number): Json {
  const humanBones: Json = {};
  for (const name of REQUIRED_BONES) {
    const node = boneNodes.get(name);
    if (node === undefined) throw new Error(`missing bone ${name}`);
    humanBones[name] = { node };
  }
  const preset: Json = {};
  FACE_TARGETS.forEach((name, index) => {
    preset[name] = {
      morphTargetBinds: [{ node: faceNode, index, weight: 1 }],
      isBinary: false,
      overrideBlink: 'none',
      overrideLookAt: 'none',
      overrideMouth: 'none',
      ...OVERRIDES[name],
    };
  });
  preset['neutral'] = { isBinary: false, overrideBlink: 'none', overrideLookAt: 'none', overrideMouth: 'none' };
  const range = (deg: number): Json => ({ inputMaxValue: deg, outputScale: 1 });
  return {
    specVersion: '1.0',
    meta: {
      name: 'Mira (voice-avatar default)',
      version: '1.0.0',
      authors: ['voice-avatar project'],
      copyrightInformation: 'Dedicated to the public domain under CC0 1.0 by the voice-avatar project',
      contactInformation: '',
      references: [],
      licenseUrl: 'https://vrm.dev/licenses/1.0/',
      otherLicenseUrl: 'https://creativecommons.org/publicdomain/zero/1.0/',
      avatarPermission: 'everyone',
      allowExcessivelyViolentUsage: false,
      allowExcessivelySexualUsage: false,
      commercialUsage: 'corporation',
      allowPoliticalOrReligiousUsage: false,
      allowAntisocialOrHateUsage: false,
      creditNotation: 'unnecessary',
      allowRedistribution: true,
      modification: 'allowModificationRedistribution',
    },
    humanoid: { humanBones },
    firstPerson: { meshAnnotations: [] },
    lookAt: {
      offsetFromHeadBone: [0, 0.09, 0.08],
      type: 'expression',
      rangeMapHorizontalInner: range(30),
      rangeMapHorizontalOuter: range(30),
      rangeMapVerticalDown: range(25),
      rangeMapVerticalUp: range(25),
    },
    expressions: { preset },
  };
}
