/**
 * A minimal, deterministic glTF 2.0 binary (GLB) writer.
 * Every bufferView holds one tightly packed accessor (no byteStride) and starts on a 4-byte boundary.
 * Accessors whose data is all zeros get no bufferView (the glTF spec defines them as zero-filled),
 * which keeps unused morph targets free.
 */

export const FLOAT = 5126;
export const UNSIGNED_BYTE = 5121;
export const UNSIGNED_SHORT = 5123;
export const UNSIGNED_INT = 5125;
const ARRAY_BUFFER = 34962;
const ELEMENT_ARRAY_BUFFER = 34963;

type AccessorType = 'SCALAR' | 'VEC3' | 'VEC4' | 'MAT4';
const COMPONENTS: Record<AccessorType, number> = { SCALAR: 1, VEC3: 3, VEC4: 4, MAT4: 16 };

export type Json = Record<string, unknown>;

export class GltfBuilder {
  readonly json: {
    asset: Json;
    extensionsUsed: string[];
    extensions: Json;
    scene: number;
    scenes: Json[];
    nodes: Json[];
    meshes: Json[];
    materials: Json[];
    skins: Json[];
    accessors: Json[];
    bufferViews: Json[];
    buffers: Json[];
  } = {
    asset: { version: '2.0', generator: 'voice-avatar make-default-vrm' },
    extensionsUsed: [],
    extensions: {},
    scene: 0,
    scenes: [],
    nodes: [],
    meshes: [],
    materials: [],
    skins: [],
    accessors: [],
    bufferViews: [],
    buffers: [],
  };
  private readonly chunks: Uint8Array[] = [];
  private byteLength = 0;

  private addBufferView(bytes: Uint8Array, target?: number): number {
    const pad = (4 - (this.byteLength % 4)) % 4;
    if (pad > 0) {
      this.chunks.push(new Uint8Array(pad));
      this.byteLength += pad;
    }
    const view: Json = { buffer: 0, byteOffset: this.byteLength, byteLength: bytes.byteLength };
    if (target !== undefined) view['target'] = target;
    this.chunks.push(bytes);
    this.byteLength += bytes.byteLength;
    this.json.bufferViews.push(view);
    return this.json.bufferViews.length - 1;
  }

  /** Float accessor; min/max are always written (required for POSITION, harmless elsewhere). */
  addFloatAccessor(
    data: ArrayLike<number>,
    type: AccessorType,
    opts: { target?: boolean; minMax?: boolean } = {},
  ): number {
    const n = COMPONENTS[type];
    const count = data.length / n;
    if (!Number.isInteger(count)) throw new Error(`accessor length ${data.length} not a multiple of ${n}`);
    const arr = Float32Array.from(data);
    const accessor: Json = { componentType: FLOAT, count, type };
    if (opts.minMax !== false && type !== 'MAT4') {
      const min = new Array<number>(n).fill(Infinity);
      const max = new Array<number>(n).fill(-Infinity);
      for (let i = 0; i < count; i++) {
        for (let c = 0; c < n; c++) {
          const v = arr[i * n + c] ?? 0;
          if (v < (min[c] ?? 0)) min[c] = v;
          if (v > (max[c] ?? 0)) max[c] = v;
        }
      }
      accessor['min'] = min;
      accessor['max'] = max;
    }
    if (arr.some((v) => v !== 0)) {
      accessor['bufferView'] = this.addBufferView(
        new Uint8Array(arr.buffer),
        opts.target === false ? undefined : ARRAY_BUFFER,
      );
    }
    this.json.accessors.push(accessor);
    return this.json.accessors.length - 1;
  }

  addJointsAccessor(joints: ArrayLike<number>): number {
    const arr = Uint8Array.from(joints);
    const view = this.addBufferView(arr, ARRAY_BUFFER);
    this.json.accessors.push({ bufferView: view, componentType: UNSIGNED_BYTE, count: arr.length / 4, type: 'VEC4' });
    return this.json.accessors.length - 1;
  }

  /** WEIGHTS_0 as normalized unsigned bytes (see quantizeWeights). */
  addWeightsAccessor(arr: Uint8Array): number {
    const view = this.addBufferView(arr, ARRAY_BUFFER);
    this.json.accessors.push({
      bufferView: view,
      componentType: UNSIGNED_BYTE,
      normalized: true,
      count: arr.length / 4,
      type: 'VEC4',
    });
    return this.json.accessors.length - 1;
  }

  addIndexAccessor(indices: ArrayLike<number>, vertexCount: number): number {
    const wide = vertexCount > 65535;
    const arr = wide ? Uint32Array.from(indices) : Uint16Array.from(indices);
    let max = 0;
    let min = Infinity;
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i] ?? 0;
      if (v > max) max = v;
      if (v < min) min = v;
    }
    const view = this.addBufferView(new Uint8Array(arr.buffer), ELEMENT_ARRAY_BUFFER);
    this.json.accessors.push({
      bufferView: view,
      componentType: wide ? UNSIGNED_INT : UNSIGNED_SHORT,
      count: arr.length,
      type: 'SCALAR',
      min: [min],
      max: [max],
    });
    return this.json.accessors.length - 1;
  }

  addNode(node: Json): number {
    this.json.nodes.push(node);
    return this.json.nodes.length - 1;
  }

  addMaterial(material: Json): number {
    this.json.materials.push(material);
    return this.json.materials.length - 1;
  }

  addMesh(mesh: Json): number {
    this.json.meshes.push(mesh);
    return this.json.meshes.length - 1;
  }

  addSkin(skin: Json): number {
    this.json.skins.push(skin);
    return this.json.skins.length - 1;
  }

  useExtension(name: string): void {
    if (!this.json.extensionsUsed.includes(name)) this.json.extensionsUsed.push(name);
  }

  toGlb(): Uint8Array {
    const binLength = Math.ceil(this.byteLength / 4) * 4;
    const bin = new Uint8Array(binLength);
    let offset = 0;
    for (const chunk of this.chunks) {
      bin.set(chunk, offset);
      offset += chunk.byteLength;
    }
    this.json.buffers = [{ byteLength: binLength }];
    const jsonText = JSON.stringify(this.json);
    const jsonBytes = new TextEncoder().encode(jsonText);
    const jsonLength = Math.ceil(jsonBytes.byteLength / 4) * 4;
    const total = 12 + 8 + jsonLength + 8 + binLength;
    const out = new Uint8Array(total);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, 0x46546c67, true); // 'glTF'
    dv.setUint32(4, 2, true);
    dv.setUint32(8, total, true);
    dv.setUint32(12, jsonLength, true);
    dv.setUint32(16, 0x4e4f534a, true); // 'JSON'
    out.set(jsonBytes, 20);
    out.fill(0x20, 20 + jsonBytes.byteLength, 20 + jsonLength); // pad JSON with spaces
    dv.setUint32(20 + jsonLength, binLength, true);
    dv.setUint32(24 + jsonLength, 0x004e4942, true); // 'BIN\0'
    out.set(bin, 28 + jsonLength);
    return out;
  }
}

/** Rounds each vertex's four weights to bytes summing to exactly 255; joints whose weight rounds to 0 are reset to 0. */
export function quantizeWeights(weights: ArrayLike<number>, joints: number[]): Uint8Array {
  const arr = new Uint8Array(weights.length);
  for (let v = 0; v < weights.length; v += 4) {
    let sum = 0;
    let maxK = 0;
    for (let k = 0; k < 4; k++) {
      const q = Math.round((weights[v + k] ?? 0) * 255);
      arr[v + k] = q;
      sum += q;
      if (q > (arr[v + maxK] ?? 0)) maxK = k;
    }
    arr[v + maxK] = (arr[v + maxK] ?? 0) + 255 - sum;
    for (let k = 0; k < 4; k++) if (arr[v + k] === 0) joints[v + k] = 0;
  }
  return arr;
}
