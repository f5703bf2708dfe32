/**
 * Writes apps/web/public/avatar/default.vrm, the project's own CC0 VRM 1.0 avatar ("Mira").
 * Deterministic: the same source always produces the same bytes.
 *   npx tsx apps/web/scripts/make-default-vrm.ts [out.vrm]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDefaultVrm } from './vrm/build-vrm.ts';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? resolve(here, '../public/avatar/default.vrm'));
const glb = buildDefaultVrm();
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, glb);
console.log(`wrote ${out} (${(glb.byteLength / 1024).toFixed(0)} KiB)`);
