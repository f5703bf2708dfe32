import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GLTFLoader, type GLTF } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { VRMLoaderPlugin, type VRM } from '@pixiv/three-vrm';
import type { Mesh } from 'three';

const file = fileURLToPath(new URL('../../public/avatar/default.vrm', import.meta.url));
const bytes = readFileSync(file);

interface Json {
  accessors: Array<{
    bufferView?: number;
    byteOffset?: number;
    componentType: number;
    count: number;
    type: string;
    min?: number[];
    max?: number[];
  }>;
  bufferViews: Array<{ byteOffset?: number; byteLength: number; byteStride?: number }>;
  buffers: Array<{ byteLength: number }>;
  meshes: Array<{
    primitives: Array<{
      attributes: Record<string, number>;
      indices?: number;
      targets?: Array<Record<string, number>>;
    }>;
  }>;
  extensionsUsed: string[];
  extensions: {
    VRMC_vrm: {
      specVersion: string;
      meta: Record<string, unknown>;
      humanoid: { humanBones: Record<string, { node: number }> };
    };
  };
}

function parseGlb(buf: Buffer): { json: Json; bin: Buffer } {
  expect(buf.readUInt32LE(0)).toBe(0x46546c67);
  expect(buf.readUInt32LE(4)).toBe(2);
  expect(buf.readUInt32LE(8)).toBe(buf.byteLength);
  const jsonLen = buf.readUInt32LE(12);
  expect(jsonLen % 4).toBe(0);
  const json = JSON.parse(buf.subarray(20, 20 + jsonLen).toString('utf8')) as Json;
  const binLen = buf.readUInt32LE(20 + jsonLen);
  expect(buf.readUInt32LE(24 + jsonLen)).toBe(0x004e4942);
  return { json, bin: buf.subarray(28 + jsonLen, 28 + jsonLen + binLen) };
}

const SIZES: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 };
const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT4: 16 };

async function loadVrm(): Promise<VRM> {
  const loader = new GLTFLoader();
  loader.register((parser) => new VRMLoaderPlugin(parser));
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const gltf = await new Promise<GLTF>((res, rej) => loader.parse(ab, '', res, rej));
  const vrm = gltf.userData['vrm'] as VRM | undefined;
  if (!vrm) throw new Error('no VRM in userData');
  return vrm;
}

describe('default.vrm', () => {
  it('is a structurally valid GLB under 1.5 MB', () => {
    expect(bytes.byteLength).toBeLessThan(1.5 * 1024 * 1024);
    const { json, bin } = parseGlb(bytes);
    expect(json.buffers[0]?.byteLength).toBe(bin.byteLength);
    for (const v of json.bufferViews) {
      expect((v.byteOffset ?? 0) % 4).toBe(0);
      expect((v.byteOffset ?? 0) + v.byteLength).toBeLessThanOrEqual(bin.byteLength);
      expect(v.byteStride).toBeUndefined();
    }
    for (const a of json.accessors) {
      const elem = (SIZES[a.componentType] ?? 0) * (COMPONENTS[a.type] ?? 0);
      expect(elem).toBeGreaterThan(0);
      if (a.bufferView === undefined) continue;
      const view = json.bufferViews[a.bufferView];
      expect(view).toBeDefined();
      expect(a.count * elem).toBeLessThanOrEqual(view?.byteLength ?? 0);
    }
    for (const mesh of json.meshes) {
      for (const p of mesh.primitives) {
        const pos = json.accessors[p.attributes['POSITION'] ?? -1];
        expect(pos?.min).toHaveLength(3);
        const count = pos?.count ?? 0;
        for (const id of Object.values(p.attributes)) expect(json.accessors[id]?.count).toBe(count);
        for (const t of p.targets ?? []) expect(json.accessors[t['POSITION'] ?? -1]?.count).toBe(count);
        const idx = json.accessors[p.indices ?? -1];
        expect((idx?.count ?? 0) % 3).toBe(0);
        expect(idx?.max?.[0]).toBeLessThan(count);
      }
    }
    expect(json.extensionsUsed).toContain('VRMC_vrm');
    const vrm = json.extensions.VRMC_vrm;
    expect(vrm.specVersion).toBe('1.0');
    expect(vrm.meta['otherLicenseUrl']).toContain('publicdomain/zero');
  });

  it('loads with three-vrm: bones, expressions and a mouth that opens', async () => {
    const vrm = await loadVrm();
    for (const bone of [
      'hips',
      'spine',
      'chest',
      'neck',
      'head',
      'leftUpperArm',
      'leftLowerArm',
      'leftHand',
      'rightUpperArm',
      'rightLowerArm',
      'rightHand',
      'leftUpperLeg',
      'leftLowerLeg',
      'leftFoot',
      'rightUpperLeg',
      'rightLowerLeg',
      'rightFoot',
    ] as const) {
      expect(vrm.humanoid.getRawBoneNode(bone), bone).not.toBeNull();
    }
    const em = vrm.expressionManager;
    if (!em) throw new Error('no expression manager');
    for (const name of [
      'aa',
      'ih',
      'ou',
      'ee',
      'oh',
      'blink',
      'blinkLeft',
      'blinkRight',
      'happy',
      'sad',
      'angry',
      'surprised',
      'relaxed',
      'neutral',
    ]) {
      expect(em.getExpression(name), name).not.toBeNull();
    }
    const face = vrm.scene.getObjectByName('face');
    const meshes: Mesh[] = [];
    face?.traverse((o) => {
      if ((o as Mesh).isMesh && (o as Mesh).morphTargetInfluences) meshes.push(o as Mesh);
    });
    expect(meshes.length).toBeGreaterThan(0);
    const aaIndex = meshes[0]?.morphTargetDictionary?.['aa'];
    expect(aaIndex).toBe(0);
    em.setValue('aa', 1);
    em.update();
    const influences = meshes.map((m) => m.morphTargetInfluences?.[aaIndex ?? 0] ?? 0);
    expect(Math.max(...influences)).toBeCloseTo(1);
    em.setValue('aa', 0);
    em.update();
    expect(Math.max(...meshes.map((m) => m.morphTargetInfluences?.[0] ?? 0))).toBe(0);
  });

  it('has visibly different mouth shapes per vowel', () => {
    const { json, bin } = parseGlb(bytes);
    const face = json.meshes[0];
    // mouth primitive = the one whose target extents are largest for 'aa'
    const extents = (prim: { targets?: Array<Record<string, number>> }, t: number): [number, number] => {
      const acc = json.accessors[prim.targets?.[t]?.['POSITION'] ?? -1];
      return [(acc?.max?.[0] ?? 0) - (acc?.min?.[0] ?? 0), (acc?.max?.[1] ?? 0) - (acc?.min?.[1] ?? 0)];
    };
    const shapes = [0, 1, 2, 3, 4].map((t) => face?.primitives.map((p) => extents(p, t).join(',')).join('|'));
    expect(new Set(shapes).size).toBe(5);
    expect(bin.byteLength).toBeGreaterThan(0);
  });
});
