/** Small geometry helpers for the generated avatar: parametric grids, normals, winding. */

export type Vec3 = [number, number, number];
export type Vec2 = [number, number];

export interface RawMesh {
  positions: number[];
  indices: number[];
}

/** A 2D parameter grid (points + triangles) that is later mapped into 3D, possibly several times (morph targets). */
export interface ParamGrid {
  pts: Vec2[];
  indices: number[];
}

/**
 * (cols+1) x (rows+1) grid over [0,1]^2; with wrapU the last column is the first one (closed loop).
 */
export function paramGrid(cols: number, rows: number, wrapU = false): ParamGrid {
  const pts: Vec2[] = [];
  const nCols = wrapU ? cols : cols + 1;
  for (let j = 0; j <= rows; j++) for (let i = 0; i < nCols; i++) pts.push([i / cols, j / rows]);
  const indices: number[] = [];
  const id = (i: number, j: number): number => j * nCols + (wrapU ? i % cols : i);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const a = id(i, j);
      const b = id(i + 1, j);
      const c = id(i, j + 1);
      const d = id(i + 1, j + 1);
      indices.push(a, c, b, b, c, d);
    }
  }
  return { pts, indices };
}

/** Unit disc in polar rings: centre + rings x segs; points are (u, v) in [-1,1]^2. */
export function discGrid(rings: number, segs: number): ParamGrid {
  const pts: Vec2[] = [[0, 0]];
  for (let r = 1; r <= rings; r++) {
    for (let s = 0; s < segs; s++) {
      const th = (s / segs) * Math.PI * 2;
      pts.push([(r / rings) * Math.cos(th), (r / rings) * Math.sin(th)]);
    }
  }
  const indices: number[] = [];
  const id = (r: number, s: number): number => (r === 0 ? 0 : 1 + (r - 1) * segs + (s % segs));
  for (let s = 0; s < segs; s++) indices.push(0, id(1, s), id(1, s + 1));
  for (let r = 1; r < rings; r++) {
    for (let s = 0; s < segs; s++) {
      const a = id(r, s);
      const b = id(r, s + 1);
      const c = id(r + 1, s);
      const d = id(r + 1, s + 1);
      indices.push(a, c, b, b, c, d);
    }
  }
  return { pts, indices };
}

/** Band over s in [-1,1] (along) x t in [0,1] (across). */
export function bandGrid(sSeg: number, tSeg: number): ParamGrid {
  const g = paramGrid(sSeg, tSeg);
  return { pts: g.pts.map(([u, v]) => [u * 2 - 1, v]), indices: g.indices };
}

export function mapGrid(grid: ParamGrid, fn: (p: Vec2) => Vec3): RawMesh {
  const positions: number[] = [];
  for (const p of grid.pts) positions.push(...fn(p));
  return { positions, indices: grid.indices.slice() };
}

function vertex(pos: number[], i: number): Vec3 {
  return [pos[i * 3] ?? 0, pos[i * 3 + 1] ?? 0, pos[i * 3 + 2] ?? 0];
}

function faceNormal(pos: number[], a: number, b: number, c: number): Vec3 {
  const pa = vertex(pos, a);
  const pb = vertex(pos, b);
  const pc = vertex(pos, c);
  const u: Vec3 = [pb[0] - pa[0], pb[1] - pa[1], pb[2] - pa[2]];
  const v: Vec3 = [pc[0] - pa[0], pc[1] - pa[1], pc[2] - pa[2]];
  return [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
}

/** Drops zero-area triangles (grid poles, collapsed rows) so the glTF has none. */
export function dropDegenerate(mesh: RawMesh): RawMesh {
  const out: number[] = [];
  for (let t = 0; t < mesh.indices.length; t += 3) {
    const a = mesh.indices[t] ?? 0;
    const b = mesh.indices[t + 1] ?? 0;
    const c = mesh.indices[t + 2] ?? 0;
    const n = faceNormal(mesh.positions, a, b, c);
    if (Math.hypot(...n) > 1e-12) out.push(a, b, c);
  }
  return { positions: mesh.positions, indices: out };
}

/** Flips every triangle if most of them face against `outward(p)`. */
export function orient(mesh: RawMesh, outward: (p: Vec3) => Vec3): RawMesh {
  let score = 0;
  for (let t = 0; t < mesh.indices.length; t += 3) {
    const a = mesh.indices[t] ?? 0;
    const n = faceNormal(mesh.positions, a, mesh.indices[t + 1] ?? 0, mesh.indices[t + 2] ?? 0);
    const o = outward(vertex(mesh.positions, a));
    score += Math.sign(n[0] * o[0] + n[1] * o[1] + n[2] * o[2]);
  }
  if (score >= 0) return mesh;
  const indices = mesh.indices.slice();
  for (let t = 0; t < indices.length; t += 3) {
    const b = indices[t + 1] ?? 0;
    indices[t + 1] = indices[t + 2] ?? 0;
    indices[t + 2] = b;
  }
  return { positions: mesh.positions, indices };
}

/** Area-weighted vertex normals, unit length (falls back to +Z for isolated vertices). */
export function computeNormals(mesh: RawMesh): number[] {
  const n = new Array<number>(mesh.positions.length).fill(0);
  for (let t = 0; t < mesh.indices.length; t += 3) {
    const ids = [mesh.indices[t] ?? 0, mesh.indices[t + 1] ?? 0, mesh.indices[t + 2] ?? 0] as const;
    const f = faceNormal(mesh.positions, ids[0], ids[1], ids[2]);
    for (const i of ids) for (let c = 0; c < 3; c++) n[i * 3 + c] = (n[i * 3 + c] ?? 0) + (f[c] ?? 0);
  }
  for (let i = 0; i < n.length; i += 3) {
    const len = Math.hypot(n[i] ?? 0, n[i + 1] ?? 0, n[i + 2] ?? 0);
    if (len < 1e-12) {
      n[i] = 0;
      n[i + 1] = 0;
      n[i + 2] = 1;
    } else {
      n[i] = (n[i] ?? 0) / len;
      n[i + 1] = (n[i + 1] ?? 0) / len;
      n[i + 2] = (n[i + 2] ?? 0) / len;
    }
  }
  return n;
}

export const smoothstep = (e0: number, e1: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
};

export const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;

export function ellipsoid(c: Vec3, r: Vec3, cols = 24, rows = 16): RawMesh {
  return mapGrid(paramGrid(cols, rows, true), ([u, v]) => {
    const a = u * Math.PI * 2;
    const p = v * Math.PI;
    return [
      c[0] + r[0] * Math.sin(p) * Math.sin(a),
      c[1] + r[1] * Math.cos(p),
      c[2] + r[2] * Math.sin(p) * Math.cos(a),
    ];
  });
}

/** Tube along a polyline-ish function `axis(t)` with radius(t); circle in the plane given by two basis vectors. */
export function tube(
  axis: (t: number) => Vec3,
  radius: (t: number) => number,
  b1: Vec3,
  b2: Vec3,
  cols = 16,
  rows = 8,
): RawMesh {
  return mapGrid(paramGrid(cols, rows, true), ([u, t]) => {
    const a = u * Math.PI * 2;
    const c = axis(t);
    const r = radius(t);
    const ca = Math.cos(a) * r;
    const sa = Math.sin(a) * r;
    return [c[0] + b1[0] * ca + b2[0] * sa, c[1] + b1[1] * ca + b2[1] * sa, c[2] + b1[2] * ca + b2[2] * sa];
  });
}
