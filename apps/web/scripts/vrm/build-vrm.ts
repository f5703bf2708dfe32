/** Assembles face, hair and body parts into a skinned VRM 1.0 GLB. */
import { bodyParts } from './body.ts';
import { FACE_TARGETS, faceParts } from './face.ts';
import { computeNormals, dropDegenerate, orient, type RawMesh, type Vec3 } from './geometry.ts';
import { GltfBuilder, quantizeWeights } from './glb-writer.ts';
import { ahoge, hairShell, starClip } from './hair.ts';
import { BONES, HEAD_CENTRE, boneIndex, type Weights } from './rig.ts';
import { materialJson, vrmExtension } from './vrm-ext.ts';

interface Part {
  material: string;
  mesh: RawMesh;
  weights: (p: Vec3) => Weights;
  outward: (p: Vec3) => Vec3;
  targets?: Partial<Record<string, number[]>>;
}

const headOnly = (): Weights => [['head', 1]];
const away =
  (c: (p: Vec3) => Vec3) =>
  (p: Vec3): Vec3 => {
    const q = c(p);
    return [p[0] - q[0], p[1] - q[1], p[2] - q[2]];
  };

function collectParts(): Record<'face' | 'hair' | 'body', Part[]> {
  const face: Part[] = faceParts().map((f) => ({
    material: f.material,
    mesh: f.mesh,
    weights: headOnly,
    outward: f.material === 'skin' ? away(() => HEAD_CENTRE) : () => [0, 0, 1],
    targets: f.targets,
  }));
  const hairOut = away((p) => [HEAD_CENTRE[0], Math.min(p[1], HEAD_CENTRE[1]), HEAD_CENTRE[2]]);
  const hair: Part[] = [
    { material: 'hair', mesh: hairShell(), weights: headOnly, outward: hairOut },
    { material: 'hair', mesh: ahoge(), weights: headOnly, outward: () => [1, 0, 0] },
    { material: 'clip', mesh: starClip(), weights: headOnly, outward: hairOut },
  ];
  const body: Part[] = bodyParts().map((b) => ({
    material: b.material,
    mesh: b.mesh,
    weights: b.weights,
    outward: away(b.centre),
  }));
  return { face, hair, body };
}

interface Primitive {
  positions: number[];
  normals: number[];
  indices: number[];
  joints: number[];
  weights: number[];
  targets: Map<string, number[]>;
}

function toPrimitives(parts: Part[], targetNames: readonly string[]): Map<string, Primitive> {
  const out = new Map<string, Primitive>();
  for (const part of parts) {
    // degenerate-triangle removal uses the rest pose; collapsed morph shapes are fine
    const mesh = orient(dropDegenerate(part.mesh), part.outward);
    let prim = out.get(part.material);
    if (!prim) {
      prim = {
        positions: [],
        normals: [],
        indices: [],
        joints: [],
        weights: [],
        targets: new Map(targetNames.map((t) => [t, []])),
      };
      out.set(part.material, prim);
    }
    const base = prim.positions.length / 3;
    const normals = computeNormals(mesh);
    const count = mesh.positions.length / 3;
    for (let i = 0; i < count; i++) {
      const p: Vec3 = [mesh.positions[i * 3] ?? 0, mesh.positions[i * 3 + 1] ?? 0, mesh.positions[i * 3 + 2] ?? 0];
      prim.positions.push(...p);
      prim.normals.push(normals[i * 3] ?? 0, normals[i * 3 + 1] ?? 0, normals[i * 3 + 2] ?? 1);
      const w = part.weights(p).slice(0, 4);
      const sum = w.reduce((s, [, x]) => s + x, 0);
      for (let k = 0; k < 4; k++) {
        const e = w[k];
        prim.joints.push(e ? boneIndex(e[0]) : 0);
        prim.weights.push(e ? e[1] / sum : 0);
      }
      for (const t of targetNames) {
        const target = part.targets?.[t];
        const arr = prim.targets.get(t);
        if (!arr) continue;
        for (let c = 0; c < 3; c++) arr.push(target ? (target[i * 3 + c] ?? 0) - (p[c] ?? 0) : 0);
      }
    }
    for (const idx of mesh.indices) prim.indices.push(idx + base);
  }
  return out;
}

export function buildDefaultVrm(): Uint8Array {
  const gltf = new GltfBuilder();
  gltf.useExtension('VRMC_vrm');
  gltf.useExtension('VRMC_materials_mtoon');

  // skeleton nodes
  const boneNodes = new Map<string, number>();
  for (const bone of BONES) {
    const parent = bone.parent ? BONES[boneIndex(bone.parent)] : undefined;
    const t: Vec3 = parent
      ? [bone.pos[0] - parent.pos[0], bone.pos[1] - parent.pos[1], bone.pos[2] - parent.pos[2]]
      : bone.pos;
    const rounded = t.map((v) => Math.round(v * 1e6) / 1e6);
    boneNodes.set(bone.name, gltf.addNode({ name: bone.name, translation: rounded, children: [] }));
  }
  for (const bone of BONES) {
    if (!bone.parent) continue;
    const parentNode = gltf.json.nodes[boneNodes.get(bone.parent) ?? -1];
    (parentNode?.['children'] as number[]).push(boneNodes.get(bone.name) ?? -1);
  }
  for (const node of gltf.json.nodes) if ((node['children'] as number[]).length === 0) delete node['children'];
  const ibm: number[] = [];
  for (const b of BONES) ibm.push(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, -b.pos[0], -b.pos[1], -b.pos[2], 1);
  const hips = boneNodes.get('hips') ?? 0;
  const skin = gltf.addSkin({
    inverseBindMatrices: gltf.addFloatAccessor(ibm, 'MAT4', { target: false, minMax: false }),
    joints: BONES.map((b) => boneNodes.get(b.name) ?? 0),
    skeleton: hips,
  });

  const materialIndex = new Map<string, number>();
  const mat = (name: string): number => {
    let i = materialIndex.get(name);
    if (i === undefined) {
      i = gltf.addMaterial(materialJson(name));
      materialIndex.set(name, i);
    }
    return i;
  };

  const groups = collectParts();
  const meshNodes: number[] = [];
  let faceNode = -1;
  for (const [name, parts] of Object.entries(groups)) {
    const targetNames = name === 'face' ? FACE_TARGETS : [];
    const primitives = [...toPrimitives(parts, targetNames).entries()].map(([material, p]) => {
      const weights = quantizeWeights(p.weights, p.joints);
      const prim: Record<string, unknown> = {
        attributes: {
          POSITION: gltf.addFloatAccessor(p.positions, 'VEC3'),
          NORMAL: gltf.addFloatAccessor(p.normals, 'VEC3'),
          JOINTS_0: gltf.addJointsAccessor(p.joints),
          WEIGHTS_0: gltf.addWeightsAccessor(weights),
        },
        indices: gltf.addIndexAccessor(p.indices, p.positions.length / 3),
        material: mat(material),
        mode: 4,
      };
      if (targetNames.length > 0) {
        prim['targets'] = targetNames.map((t) => ({ POSITION: gltf.addFloatAccessor(p.targets.get(t) ?? [], 'VEC3') }));
      }
      return prim;
    });
    const meshDef: Record<string, unknown> = { name, primitives };
    if (targetNames.length > 0) {
      meshDef['weights'] = targetNames.map(() => 0);
      meshDef['extras'] = { targetNames: [...targetNames] };
    }
    const node = gltf.addNode({ name, mesh: gltf.addMesh(meshDef), skin });
    if (name === 'face') faceNode = node;
    meshNodes.push(node);
  }
  gltf.json.scenes.push({ name: 'Scene', nodes: [hips, ...meshNodes] });
  gltf.json.extensions['VRMC_vrm'] = vrmExtension(boneNodes, faceNode);
  return gltf.toGlb();
}
